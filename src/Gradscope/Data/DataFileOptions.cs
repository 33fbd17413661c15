using System.Globalization;

namespace Gradscope.Data;

/// <summary>
/// How to read a data file of your own (<c>--data file.csv|.npy|.npz</c>, docs/data.md): which column is the
/// target, the task, the text layout, standardisation and the test split. Serialised in the experiment spec, so
/// a run can be repeated from its run.json.
/// </summary>
public sealed record DataFileOptions
{
    /// <summary>The target column by header name (or 1-based number); null = the last column.</summary>
    public string? Target { get; init; }

    /// <summary><c>classify</c>, <c>regress</c>, or null to decide from the target column (<see cref="TableTargets"/>).</summary>
    public string? Task { get; init; }

    /// <summary><c>,</c> (default), <c>;</c>, <c>tab</c>, or <c>space</c> (any run of spaces and tabs).</summary>
    public string Delimiter { get; init; } = ",";

    /// <summary>Lines skipped at the top of the file before the header (or the first row).</summary>
    public int SkipRows { get; init; }

    /// <summary>Whether the first line read is a header of column names (otherwise columns are named 1, 2, …).</summary>
    public bool Header { get; init; } = true;

    /// <summary>A separate file holding the targets, one row per example (every column of the data file is then a feature).</summary>
    public string? TargetFile { get; init; }

    /// <summary>Standardise every feature to mean 0, variance 1, with statistics of the training split only.</summary>
    public bool Standardize { get; init; }

    /// <summary>Fraction of the examples held out as the test set (seeded) when there is no <see cref="TestFile"/>.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>A separate test file in the same layout.</summary>
    public string? TestFile { get; init; }

    public void Validate()
    {
        DelimiterChar();
        if (SkipRows < 0) throw new ArgumentException($"--skip-rows: {SkipRows} is negative.");
        if (!(TestFraction >= 0 && TestFraction < 1)) throw new ArgumentException($"--test-fraction: {TestFraction.ToString(CultureInfo.InvariantCulture)} is not in [0, 1).");
        ParseTask(Task);
    }

    /// <summary>The delimiter as one character; ' ' stands for any run of spaces and tabs.</summary>
    public char DelimiterChar() => (Delimiter ?? ",") switch
    {
        "," or "comma" => ',',
        ";" or "semicolon" => ';',
        "tab" or "\t" or "\\t" => '\t',
        " " or "space" or "whitespace" => ' ',
        "|" => '|',
        var other => throw new ArgumentException($"--delimiter: '{other}' is not one of ',', ';', '|', tab, space."),
    };

    /// <summary>True for classification, false for regression, null for "decide from the data".</summary>
    public static bool? ParseTask(string? task) => (task ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => null,
        "classify" or "classification" => true,
        "regress" or "regression" => false,
        _ => throw new ArgumentException($"--task: '{task}' is not classify or regress."),
    };

    /// <summary>Whether <paramref name="path"/> names a data file (rather than a built-in set or an IDX folder).</summary>
    public static bool IsDataFile(string path)
    {
        string p = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        string ext = Path.GetExtension(p).ToLowerInvariant();
        return ext is ".csv" or ".tsv" or ".txt" or ".dat" or ".npy" or ".npz";
    }
}
