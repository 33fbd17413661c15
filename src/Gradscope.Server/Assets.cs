using System.Collections.Frozen;

namespace Gradscope.Server;

/// <summary>
/// The dashboard's pages, script, styles and vendored uPlot, embedded in the assembly: served by name from this fixed
/// list (never from a path a request builds), with no CDN and no web font — the pages use the system's sans-serif.
/// </summary>
internal static class Assets
{
    private const string Prefix = "wwwroot/";

    private static readonly FrozenDictionary<string, byte[]> Files = typeof(Assets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .ToFrozenDictionary(n => n[Prefix.Length..], Read, StringComparer.Ordinal);

    public static IEnumerable<string> Names => Files.Keys;

    public static bool TryGet(string? name, out byte[] bytes, out string contentType)
    {
        contentType = "application/octet-stream";
        bytes = [];
        if (name is null || !Files.TryGetValue(name, out var found)) return false;
        bytes = found;
        contentType = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".txt" => "text/plain; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => contentType,
        };
        return true;
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream(resource)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
