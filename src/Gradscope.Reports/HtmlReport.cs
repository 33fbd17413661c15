
namespace Gradscope.Reports;

/// <summary>
/// The single-file HTML report of a run or a sweep directory: self-contained (inline CSS and SVG, no scripts,
/// no network), every text from the run HTML-encoded. See docs/reports.md.
/// </summary>
public static class HtmlReport
{
    /// <summary>
    /// Writes report.html into <paramref name="runOrSweepDirectory"/> atomically (temp file + rename) and returns
    /// its path. A directory with a sweep.json gets the sweep report; otherwise it must hold a run.json.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">It is neither a run nor a sweep directory, or its files are malformed.</exception>
    public static string Write(string runOrSweepDirectory)
    {
        ArgumentNullException.ThrowIfNull(runOrSweepDirectory);
        if (!Directory.Exists(runOrSweepDirectory))
            throw new DirectoryNotFoundException($"Directory '{runOrSweepDirectory}' does not exist.");
        string html = SweepRecord.IsSweep(runOrSweepDirectory)
            ? Render(SweepRecord.Load(runOrSweepDirectory))
            : Render(RunRecord.Load(runOrSweepDirectory));
        string path = Path.Combine(runOrSweepDirectory, RunFiles.Report);
        AtomicFile.WriteAllText(path, html);
        return path;
    }

    /// <summary>Writes report.html of a run already loaded into its directory (atomically) and returns its path.</summary>
    public static string Write(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string path = Path.Combine(run.Directory, RunFiles.Report);
        AtomicFile.WriteAllText(path, Render(run));
        return path;
    }

    /// <summary>The report of one run as an HTML string.</summary>
    public static string Render(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return RunPage.Render(run);
    }

    /// <summary>The report of a sweep as an HTML string.</summary>
    public static string Render(SweepRecord sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return SweepPage.Render(sweep);
    }
}
