using System.Globalization;
using System.Text.Json;

namespace Gradscope.Record;

/// <summary>One configuration of a sweep: its position on the heatmaps' two axes, its run, and every parameter value that defines it.</summary>
public sealed record SweepCell(string Row, string Column, RunRecord Run)
{
    /// <summary>The configuration's value of every swept parameter (its entry's params).</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>"depth = 3, activation = relu, init = he-normal": every axis of <paramref name="axes"/> with this cell's value.</summary>
    public string Describe(IEnumerable<string> axes) => string.Join(", ", axes.Select(a => $"{a} = {Params.GetValueOrDefault(a, "")}"));
}

/// <summary>
/// The configurations of a sweep that share one value of every axis beyond the heatmaps' two (<see cref="SweepRecord.PanelAxes"/>):
/// one pair of heatmaps each. <see cref="Label"/> is "init = he-normal" (several axes joined by ", "), "" when there are none.
/// </summary>
public sealed record SweepPanel(string Label, IReadOnlyDictionary<string, string> Values, IReadOnlyList<SweepCell> Cells);

/// <summary>
/// One entry of sweep.json: a run sub-directory and the parameter values that define it; for a planned sweep also
/// the trial's index, id (hash of its resolved spec), seed and final status.
/// </summary>
public sealed record SweepEntry(string Dir, IReadOnlyDictionary<string, string> Params)
{
    public int? Index { get; init; }
    public string? Id { get; init; }
    public ulong? Seed { get; init; }
    public string? Status { get; init; }
}

/// <summary>
/// A sweep directory read back: sweep.json plus one run directory per configuration (docs/reports.md). The
/// first two parameters that take more than one value become the rows and columns of the heatmaps; every further
/// one splits the sweep into panels (<see cref="Panels"/>), one pair of heatmaps per combination of their values,
/// so no configuration is drawn over another.
/// </summary>
public sealed class SweepRecord
{
    public const string FileName = SweepFile.FileName;

    private SweepRecord(string directory, string name, IReadOnlyList<SweepEntry> entries, IReadOnlyList<SweepCell> cells,
        IReadOnlyList<string> missing, IReadOnlyList<string> axes)
    {
        Directory = directory;
        Name = name;
        Entries = entries;
        Cells = cells;
        Missing = missing;
        Axes = axes;
        ColumnAxis = axes.Count >= 2 ? axes[1] : axes.FirstOrDefault() ?? "";
        RowAxis = axes.Count >= 2 ? axes[0] : "";
    }

    public string Directory { get; }
    public string Name { get; }
    public IReadOnlyList<SweepEntry> Entries { get; }

    /// <summary>The configurations whose run directory could be read, placed on the two axes.</summary>
    public IReadOnlyList<SweepCell> Cells { get; }

    /// <summary>Entries whose run directory is missing or unreadable, with the reason.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Every parameter that takes more than one value, in the order the sweep lists them.</summary>
    public IReadOnlyList<string> Axes { get; }

    /// <summary>Parameter on the heatmaps' rows ("" when only one parameter varies).</summary>
    public string RowAxis { get; }
    public string ColumnAxis { get; }

    /// <summary>The axes beyond the heatmaps' two: each combination of their values is a panel of its own.</summary>
    public IReadOnlyList<string> PanelAxes => Axes.Count > 2 ? Axes.Skip(2).ToList() : [];

    /// <summary>
    /// The cells split by the values of <see cref="PanelAxes"/>, panels in the natural order of each axis's values
    /// (<see cref="Order"/>); one panel labelled "" holding every cell when the sweep has at most two axes.
    /// </summary>
    public IReadOnlyList<SweepPanel> Panels()
    {
        var panelAxes = PanelAxes;
        if (panelAxes.Count == 0) return [new SweepPanel("", new Dictionary<string, string>(), Cells)];
        var orders = panelAxes.Select(a => Order(Cells.Select(c => c.Params.GetValueOrDefault(a, "")))).ToList();
        return [.. Cells.GroupBy(c => string.Join("\u0001", panelAxes.Select(a => c.Params.GetValueOrDefault(a, ""))))
            .Select(g => g.ToList())
            .OrderBy(g => g[0], Comparer<SweepCell>.Create((x, y) =>
            {
                for (int i = 0; i < panelAxes.Count; i++)
                {
                    int c = orders[i].IndexOf(x.Params.GetValueOrDefault(panelAxes[i], "")).CompareTo(orders[i].IndexOf(y.Params.GetValueOrDefault(panelAxes[i], "")));
                    if (c != 0) return c;
                }
                return 0;
            }))
            .Select(g => new SweepPanel(g[0].Describe(panelAxes), panelAxes.ToDictionary(a => a, a => g[0].Params.GetValueOrDefault(a, "")), g))];
    }

    public static bool IsSweep(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>Reads sweep.json and every run it lists; a malformed file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static SweepRecord Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new InvalidDataException($"'{directory}' is not a sweep directory (no {FileName}).");
        var file = SweepFile.Read(directory);
        string name = file.Name;
        var entries = file.Runs.Select(e => e with { Params = e.Params ?? new Dictionary<string, string>() }).ToList();

        var varying = entries.SelectMany(e => e.Params.Keys).Distinct()
            .Where(k => entries.Select(e => e.Params.GetValueOrDefault(k, "")).Distinct().Count() > 1).ToList();
        string columnAxis = varying.Count >= 2 ? varying[1] : varying.FirstOrDefault() ?? "";
        string rowAxis = varying.Count >= 2 ? varying[0] : "";
        var cells = new List<SweepCell>();
        var missing = new List<string>();
        foreach (var entry in entries)
        {
            string dir = Path.GetFullPath(Path.Combine(directory, entry.Dir));
            try
            {
                var run = RunRecord.Load(dir);
                cells.Add(new SweepCell(entry.Params.GetValueOrDefault(rowAxis, ""), entry.Params.GetValueOrDefault(columnAxis, entry.Dir), run) { Params = entry.Params });
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                missing.Add($"{entry.Dir}: {e.Message}");
            }
        }
        return new SweepRecord(directory, name, entries, cells, missing, varying);
    }

    /// <summary>Distinct labels in a natural order: numerically when all are numbers, else as first seen.</summary>
    public static List<string> Order(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct().ToList();
        bool numeric = distinct.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return numeric ? distinct.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList() : distinct;
    }
}
