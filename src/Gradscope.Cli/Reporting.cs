using Gradscope.Cli.Terminal;
using Gradscope.Reports;

namespace Gradscope.Cli;

/// <summary>Writes a run's or sweep's HTML report; a report that cannot be written is a warning, not a failed run.</summary>
public static class Reporting
{
    public static string? TryWrite(string directory)
    {
        try
        {
            string path = HtmlReport.Write(directory);
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
