using System.Text.Json;

namespace Gradscope.Record;

/// <summary>findings.json in a run directory: the doctor's findings, for reports and later reading.</summary>
public static class FindingsFile
{
    public const string Name = "findings.json";

    public static void Write(string runDirectory, IReadOnlyList<Finding> findings) =>
        AtomicFile.WriteAllText(Path.Combine(runDirectory, Name), JsonSerializer.Serialize(findings, JsonDefaults.Options));

    /// <summary>Whether the run was diagnosed (an empty file says it was, and found nothing).</summary>
    public static bool Exists(string runDirectory) => File.Exists(Path.Combine(runDirectory, Name));

    public static IReadOnlyList<Finding> Read(string runDirectory)
    {
        string path = Path.Combine(runDirectory, Name);
        if (!File.Exists(path)) return [];
        try
        {
            var findings = JsonSerializer.Deserialize<List<Finding?>>(RegularFile.ReadAllText(path), JsonDefaults.Options) ?? [];
            // Fields a writer left out (older files, other tools) read as empty rather than as nulls for every reader to guard.
            return [.. findings.OfType<Finding>().Select(f => new Finding(f.Kind ?? "", f.Severity ?? "", f.Title ?? "", f.Evidence ?? "",
                f.Explanation ?? "", f.Remedies ?? [], f.Numbers ?? new Dictionary<string, double>(), f.Layers ?? [])
            {
                Prescriptions = f.Prescriptions ?? [],
            })];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidDataException($"'{path}' is not valid findings JSON: {e.Message}");
        }
    }
}
