using System.Text.Json;

namespace Gradscope.Reports;

/// <summary>
/// One diagnosis finding as written to findings.json by the diagnosis step: how serious, what, the evidence in
/// the record, why it matters, and what to try.
/// </summary>
public sealed record Finding(string Severity, string Title, string Evidence, string Explanation, IReadOnlyList<string> Remedies);

/// <summary>Reads findings.json: a JSON array of findings. Unknown fields are ignored; missing ones read as empty.</summary>
public static class Findings
{
    public const string FileName = "findings.json";

    /// <summary>The run's findings, or null when it has no findings.json (no diagnosis recorded).</summary>
    public static IReadOnlyList<Finding>? Load(string runDirectory)
    {
        string path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("findings", out var inner)) root = inner;
            if (root.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"'{path}' must hold a JSON array of findings.");
            return root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => new Finding(
                Text(e, "severity"), Text(e, "title"), Text(e, "evidence"), Text(e, "explanation"),
                e.TryGetProperty("remedies", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Select(AsText).ToList()
                    : [])).ToList();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}");
        }
    }

    private static string Text(JsonElement e, string name)
    {
        foreach (var p in e.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return AsText(p.Value);
        return "";
    }

    // Evidence may be structured (numbers, objects); show it as its JSON text rather than drop it.
    private static string AsText(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.Array => string.Join("; ", v.EnumerateArray().Select(AsText)),
        _ => v.GetRawText(),
    };
}
