using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Gradscope.Server;

/// <summary>
/// The run directories under the served folder (and one level below, for sweeps), each named by its path relative to
/// the folder with '/' separators. A request names a run by that id and is only ever answered from this list, so no
/// request can reach a path the listing did not find under the folder.
/// </summary>
internal sealed partial class RunCatalog(string root)
{
    public const int MaxIdLength = 256;

    private readonly ConcurrentDictionary<string, LiveRun> _loaded = new(StringComparer.Ordinal);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The ids of the run directories there now, sorted.</summary>
    public IReadOnlyList<string> Ids()
    {
        var ids = new List<string>();
        if (!Directory.Exists(Root)) return ids;
        foreach (var dir in SafeDirectories(Root))
        {
            if (IsRun(dir)) ids.Add(Path.GetFileName(dir));
            else foreach (var inner in SafeDirectories(dir))
                    if (IsRun(inner)) ids.Add($"{Path.GetFileName(dir)}/{Path.GetFileName(inner)}");
        }
        ids.RemoveAll(id => !WellFormed(id));
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>Whether an id has the shape of one this catalog hands out (no '..', no rooted or odd characters).</summary>
    public static bool WellFormed(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && IdPattern().IsMatch(id) && !id.Split('/').Any(s => s is "." or "..");

    /// <summary>The run with this id, read up to now; null for an id the listing does not hold.</summary>
    public LiveRun? Find(string? id)
    {
        if (!WellFormed(id)) return null;
        if (_loaded.TryGetValue(id!, out var run))
        {
            run.Refresh();
            return run;
        }
        if (!Ids().Contains(id!, StringComparer.Ordinal)) return null;
        string dir = Path.Combine(Root, id!.Replace('/', Path.DirectorySeparatorChar));
        try
        {
            run = _loaded.GetOrAdd(id!, _ => new LiveRun(id!, dir));
        }
        catch (InvalidDataException)
        {
            return null;
        }
        run.Refresh();
        return run;
    }

    private static bool IsRun(string dir) => File.Exists(Path.Combine(dir, RunFiles.Info));

    private static IEnumerable<string> SafeDirectories(string dir)
    {
        try
        {
            // Links are not followed: a link inside the folder must not serve a run outside it.
            return new DirectoryInfo(dir).EnumerateDirectories().Where(d => d.LinkTarget is null && !d.Name.StartsWith('.')).Select(d => d.FullName).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.,=+\-]+(/[A-Za-z0-9_.,=+\-]+)?$")]
    private static partial Regex IdPattern();
}
