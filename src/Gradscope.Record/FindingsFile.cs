using System.Text.Json;

namespace Gradscope.Record;

/// <summary>findings.json in a run directory: the doctor's findings, for reports and later reading.</summary>
public static class FindingsFile
{
    public const string Name = "findings.json";

    public static void Write(string runDirectory, IReadOnlyList<Finding> findings) =>
        AtomicFile.WriteAllText(Path.Combine(runDirectory, Name), JsonSerializer.Serialize(findings, JsonDefaults.Options));

    public static IReadOnlyList<Finding> Read(string runDirectory)
    {
        string path = Path.Combine(runDirectory, Name);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<Finding>>(File.ReadAllText(path), JsonDefaults.Options) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid findings JSON: {e.Message}");
        }
    }
}
