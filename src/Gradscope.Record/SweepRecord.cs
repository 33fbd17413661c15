using System.Globalization;
using System.Text.Json;

namespace Gradscope.Record;

/// <summary>One configuration of a sweep: its position on the two sweep axes and its run.</summary>
public sealed record SweepCell(string Row, string Column, RunRecord Run);

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
/// first two parameters that take more than one value become the rows and columns of the heatmaps.
/// </summary>
public sealed class SweepRecord
{
    public const string FileName = SweepFile.FileName;

    private SweepRecord(string directory, string name, IReadOnlyList<SweepEntry> entries, IReadOnlyList<SweepCell> cells,
        IReadOnlyList<string> missing, string rowAxis, string columnAxis)
    {
        Directory = directory;
        Name = name;
        Entries = entries;
        Cells = cells;
        Missing = missing;
        RowAxis = rowAxis;
        ColumnAxis = columnAxis;
    }

    public string Directory { get; }
    public string Name { get; }
    public IReadOnlyList<SweepEntry> Entries { get; }

    /// <summary>The configurations whose run directory could be read, placed on the two axes.</summary>
    public IReadOnlyList<SweepCell> Cells { get; }

    /// <summary>Entries whose run directory is missing or unreadable, with the reason.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Parameter on the heatmaps' rows ("" when only one parameter varies).</summary>
    public string RowAxis { get; }
    public string ColumnAxis { get; }

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
                cells.Add(new SweepCell(entry.Params.GetValueOrDefault(rowAxis, ""), entry.Params.GetValueOrDefault(columnAxis, entry.Dir), run));
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                missing.Add($"{entry.Dir}: {e.Message}");
            }
        }
        return new SweepRecord(directory, name, entries, cells, missing, rowAxis, columnAxis);
    }

    /// <summary>Distinct labels in a natural order: numerically when all are numbers, else as first seen.</summary>
    public static List<string> Order(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct().ToList();
        bool numeric = distinct.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return numeric ? distinct.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList() : distinct;
    }
}
