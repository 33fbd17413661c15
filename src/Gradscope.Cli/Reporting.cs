using Gradscope.Cli.Terminal;
using Gradscope.Reports;

namespace Gradscope.Cli;

/// <summary>Writes a run's or sweep's HTML report; a report that cannot be written is a warning, not a failed run.</summary>
public static class Reporting
{
    public static string? TryWrite(string directory) => TryWrite(directory, () => HtmlReport.Write(directory));

    /// <summary>The report of a run already loaded, without reading it again.</summary>
    public static string? TryWrite(RunRecord run) => TryWrite(run.Directory, () => HtmlReport.Write(run));

    private static string? TryWrite(string directory, Func<string> write)
    {
        try
        {
            string path = write();
            Output.Line($"report: {path}");
            return path;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"gradscope: warning: no report for '{directory}': {Output.OneLine(e.Message)}");
            return null;
        }
    }
}
