using System.Text.Json;
using System.Text.Json.Nodes;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>
/// Which data a run uses: <c>digits</c> (embedded), <c>mnist</c>, a folder of IDX files, a sequence task, or a data
/// file of your own (<c>.csv</c>, <c>.npy</c>, <c>.npz</c>, optionally gzipped text) read as <see cref="File"/> says.
/// </summary>
public sealed record DataSpec
{
    public string Source { get; init; } = "digits";
    public int Train { get; init; } = 50_000;
    public int Test { get; init; } = 10_000;

    /// <summary>How to read a data file (target column, task, layout, standardisation, test split); null for the built-in sets.</summary>
    public Data.DataFileOptions? File { get; init; }
    /// <summary>Time steps of a generated sequence task (<c>--length</c>); null takes the task's default.</summary>
    public int? Length { get; init; }
}

/// <summary>
/// A whole experiment as one JSON file (<c>--spec exp.json</c>): network, training, probes, data, precision,
/// seed. The seed draws the weights and the shuffles.
/// </summary>
public sealed record ExperimentSpec
{
    public string Name { get; init; } = "run";
    public NetworkSpec Network { get; init; } = new() { Layers = [784, 30, 10] };
    public TrainingOptions Training { get; init; } = new() { Epochs = 1 };
    public ProbeOptions Probes { get; init; } = ProbeOptions.FromPreset("standard");
    public DataSpec Data { get; init; } = new();

    /// <summary><c>float32</c> (default) or <c>float64</c>.</summary>
    public string Precision { get; init; } = "float32";
    public ulong Seed { get; init; } = 1;

    public void Validate()
    {
        Network.Validate();
        Training.Validate();
        Probes.Validate();
        if (Precision is not ("float32" or "float64"))
            throw new ArgumentException($"Unknown precision '{Precision}'. Valid: float32, float64.");
        if (Training.LayerRates is { } rates && rates.Length != Network.Depth)
            throw new ArgumentException($"{rates.Length} layer rates given for {Network.Depth} weight layers.");
        if (Data.Train < 1) throw new ArgumentException($"Invalid training-set size: {Data.Train}.");
        if (Data.Test < 0) throw new ArgumentException($"Invalid test-set size: {Data.Test}.");
        Data.File?.Validate();
        if (Data.Length is < 1) throw new ArgumentException($"Invalid sequence length: {Data.Length}.");
        if (Network.Recurrent is not null && Training.Optimizer.Trim().Equals("kfac", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("K-FAC's factors are those of dense layers; it is not available with recurrent layers.");
    }

    /// <summary>Longest spec file read: a spec is a few hundred bytes; anything near this is not one.</summary>
    public const long MaxFileBytes = 16L << 20;

    /// <summary>
    /// Reads a spec file; invalid JSON is reported with its line and position, a field of the wrong type or a null
    /// section by its name ("field training.batchSize must be a whole number in the int32 range, not a string").
    /// </summary>
    public static ExperimentSpec Load(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"Spec file '{path}' does not exist.", path);
        string text;
        try { text = RegularFile.ReadAllText(path, MaxFileBytes); }
        catch (InvalidDataException e) { throw new ArgumentException($"Spec file {e.Message}"); }
        return Parse(text, $"Spec file '{path}'");
    }

    /// <summary>Reads a spec from JSON text; <paramref name="source"/> starts every error message.</summary>
    public static ExperimentSpec Parse(string json, string source = "Spec")
    {
        try
        {
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (node is null) throw new ArgumentException($"{source} is empty.");
            if (node is not JsonObject root) throw new ArgumentException($"{source} must hold a JSON object.");
            // The probes section is read by its own converter (a preset with groups over it); its fields are checked the same way.
            if (root["probes"] is JsonObject probes && probes["preset"] is { } preset && preset.GetValueKind() != JsonValueKind.String)
                throw new ArgumentException($"{source}: field probes.preset must be a string naming a preset ({string.Join(", ", ProbeOptions.Presets)}).");
            JsonShape.Check<ExperimentSpec>(root);
            return root.Deserialize<ExperimentSpec>(SpecJson.Options) ?? throw new ArgumentException($"{source} is empty.");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            throw new ArgumentException($"{source} is not valid JSON{where}: {FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new ArgumentException($"{source}: {FirstLine(e.Message)}");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, SpecJson.Options);

    private static string FirstLine(string message)
    {
        int cut = message.IndexOfAny(['\n', '\r']);
        return cut < 0 ? message : message[..cut];
    }
}
