using Gradscope.Cli.Terminal;

namespace Gradscope.Cli;

/// <summary>Reads a run directory for a command, and says on stderr how many malformed metrics lines were skipped.</summary>
public static class RunLoading
{
    public static RunRecord Load(string directory)
    {
        var run = RunRecord.Load(directory);
        if (run.SkippedMetricLines > 0)
            Output.Warning($"skipped {run.SkippedMetricLines} malformed line{(run.SkippedMetricLines == 1 ? "" : "s")} of {RunFiles.Metrics} in '{directory}'.");
        return run;
    }
}
