using System.Text.Json;

namespace Gradscope.Record;

/// <summary>
/// sweep.json, the one type that writes and reads it: the sweep's name, each swept flag with its values, and one
/// entry per configuration (its run sub-directory and the values that define it). A sweep with a plan
/// (<see cref="SweepPlan"/>) also records its identity, the number of planned trials and the run sub-directories
/// of those not finished yet; <see cref="SweepMerge"/> writes it. A file holding only the array of entries (the
/// first sweeps) reads with no axes.
/// </summary>
public sealed record SweepFile(string Name, IReadOnlyDictionary<string, string[]> Axes, IReadOnlyList<SweepEntry> Runs)
{
    public const string FileName = "sweep.json";

    /// <summary>The sweep's identity (<see cref="SweepPlan.Id"/>), or null for a sweep written without a plan.</summary>
    public string? Id { get; init; }

    /// <summary>How many trials the plan holds; null for a sweep written without a plan.</summary>
    public int? Trials { get; init; }

    /// <summary>Run sub-directories of planned trials with no finished result; null for a sweep written without a plan.</summary>
    public IReadOnlyList<string>? Missing { get; init; }

    public void Write(string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, JsonDefaults.Options));

    /// <summary>Reads a sweep directory's sweep.json; a malformed file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static SweepFile Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        string fallbackName = Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar));
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
                return new SweepFile(fallbackName, new Dictionary<string, string[]>(), Entries(root));
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException("the file must hold an object");
            var file = root.Deserialize<SweepFile>(JsonDefaults.Options) ?? throw new InvalidDataException("the file is empty");
            if (file.Runs is null) throw new InvalidDataException("missing field runs");
            foreach (var entry in file.Runs)
                if (entry?.Dir is null) throw new InvalidDataException("every entry of runs needs a field dir");
            return file with { Name = string.IsNullOrEmpty(file.Name) ? fallbackName : file.Name, Axes = file.Axes ?? new Dictionary<string, string[]>() };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' is not a valid sweep file: {e.Message}");
        }
    }

    private static List<SweepEntry> Entries(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.Deserialize<SweepEntry>(JsonDefaults.Options) ?? throw new InvalidDataException("an entry of runs is null"))];
}
