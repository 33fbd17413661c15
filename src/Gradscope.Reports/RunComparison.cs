namespace Gradscope.Reports;

/// <summary>
/// Runs side by side, every number read through each run's <see cref="RunView"/>: the settings that differ, the
/// speed of learning of each layer at init and at end, final cost and accuracy, the speed ratio and the verdict.
/// The terminal tables of <c>gradscope compare</c> and the one-file compare page both read this.
/// </summary>
public sealed class RunComparison
{
    public RunComparison(IReadOnlyList<RunRecord> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count < 2) throw new ArgumentException($"Invalid number of runs to compare: {runs.Count} (give at least 2).", nameof(runs));
        Runs = runs;
        Views = [.. runs.Select(r => new RunView(r))];
        Names = Distinct(runs);
        Depth = Views.Max(v => v.Depth);
        var settings = runs.Select(Settings).ToList();
        var keys = settings.SelectMany(s => s.Keys).Distinct().ToList();
        Differences = [.. keys.Select(k => (Name: k, Values: (IReadOnlyList<string>)[.. settings.Select(s => s.GetValueOrDefault(k, "–"))]))
            .Where(x => x.Values.Distinct().Count() > 1)];
    }

    public IReadOnlyList<RunRecord> Runs { get; }
    public IReadOnlyList<RunView> Views { get; }

    /// <summary>Column names: each run's name, with its directory name added where two runs share a name.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The deepest run's number of layers.</summary>
    public int Depth { get; }

    /// <summary>The settings (and shape, data, seed, precision) whose values are not the same in every run.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Differences { get; }

    /// <summary>Speed of learning of layer l in run i at init and at end (NaN where the run has no such layer).</summary>
    public (double AtInit, double AtEnd) Speed(int run, int layer) =>
        layer <= Views[run].Depth ? (Views[run].Speed(layer, atEnd: false), Views[run].Speed(layer, atEnd: true)) : (double.NaN, double.NaN);

    /// <summary>How a layer row is named: by the deepest run's naming.</summary>
    public string LayerName(int layer) => Views.First(v => v.Depth == Depth).LayerName(layer);

    /// <summary>The doctor's worst finding (findings.json), "no problem found", or "not diagnosed".</summary>
    public string Verdict(int run)
    {
        string dir = Runs[run].Directory;
        if (!FindingsFile.Exists(dir)) return "not diagnosed";
        var findings = FindingsFile.Read(dir);
        return findings.Count == 0 ? "no problem found" : $"{findings[0].Severity}: {findings[0].Title}";
    }

    private static Dictionary<string, string> Settings(RunRecord run)
    {
        var info = run.Info;
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["layers"] = string.Join("-", info.Sizes()),
            ["activation"] = string.Join(",", info.Layers.Select(l => l.Activation ?? "–").Distinct()),
            ["data"] = $"{info.Data.Source} {info.Data.Train}/{info.Data.Test}",
            ["precision"] = info.Precision,
            ["seed"] = info.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var s in info.Settings) d.TryAdd(s.Name, s.Value);
        return d;
    }

    private static List<string> Distinct(IReadOnlyList<RunRecord> runs)
    {
        var names = runs.Select(r => r.Info.Name).ToList();
        return [.. names.Select((n, i) => names.Count(m => m == n) > 1 ? $"{n} ({Path.GetFileName(Path.TrimEndingDirectorySeparator(runs[i].Directory))})" : n)];
    }
}
