using Gradscope.Experiments;
using Gradscope.IO;

namespace Gradscope.Cli.Terminal;

/// <summary>What a run stopped by Ctrl+C or SIGTERM left behind, in one line: where it stopped and what was saved.</summary>
public static class Interruption
{
    /// <summary>
    /// "interrupted at step 4,512 of 15,000 (epoch 2 of 3: 1 epoch finished); runs/x keeps the record up to there,
    /// the weights at that step (model.gsm) and report.html; no checkpoint to resume from (--checkpoint-every makes one)".
    /// </summary>
    public static string Note(RunOutcome outcome, bool reportWritten)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        int finished = outcome.Epochs.Count > 0 ? outcome.Epochs[^1].Epoch : 0;
        long perEpoch = Math.Max(1, outcome.StepsPerEpoch);
        int planned = (int)(outcome.PlannedSteps / perEpoch);
        string where = outcome.Steps == (long)finished * perEpoch
            ? $"after epoch {finished} of {planned}"
            : $"in epoch {finished + 1} of {planned} ({Output.Count(finished, "epoch")} finished)";
        string line = $"interrupted at step {outcome.Steps:N0} of {outcome.PlannedSteps:N0}, {where}";
        if (outcome.Directory is not { } dir) return line + "; nothing was saved.";
        var kept = new List<string> { "the record up to that step (run.json says interrupted)" };
        if (File.Exists(Path.Combine(dir, ExperimentRunner.ModelFileName))) kept.Add($"the weights at that step ({ExperimentRunner.ModelFileName})");
        if (reportWritten) kept.Add(RunFiles.Report);
        string resume = Checkpoint.List(dir).LastOrDefault() is { } newest
            ? $"gradscope train --resume {dir} continues from the checkpoint at step {Checkpoint.ReadHeader(newest).Step:N0}"
            : "no checkpoint to resume from (--checkpoint-every makes them)";
        return $"{line}; {dir} keeps {string.Join(", ", kept)}; {resume}.";
    }
}
