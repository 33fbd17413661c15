using System.Text.Json;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>Which data a run uses: <c>digits</c> (embedded), <c>mnist</c>, a folder of IDX files, a sequence task or a .npz of sequences.</summary>
public sealed record DataSpec
{
    public string Source { get; init; } = "digits";
    public int Train { get; init; } = 50_000;
    public int Test { get; init; } = 10_000;

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
        if (Data.Length is < 1) throw new ArgumentException($"Invalid sequence length: {Data.Length}.");
        if (Network.Recurrent is not null && Training.Optimizer.Trim().Equals("kfac", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("K-FAC's factors are those of dense layers; it is not available with recurrent layers.");
    }

    /// <summary>Reads a spec file; invalid JSON is reported with its line and position.</summary>
    public static ExperimentSpec Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Spec file '{path}' does not exist.", path);
        try
        {
            return JsonSerializer.Deserialize<ExperimentSpec>(File.ReadAllText(path), SpecJson.Options)
                ?? throw new ArgumentException($"Spec file '{path}' is empty.");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            throw new ArgumentException($"Spec file '{path}' is not valid JSON{where}: {FirstLine(e.Message)}");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, SpecJson.Options);

    private static string FirstLine(string message)
    {
        int cut = message.IndexOfAny(['\n', '\r']);
        return cut < 0 ? message : message[..cut];
    }
}
