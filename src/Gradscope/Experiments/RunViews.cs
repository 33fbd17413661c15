namespace Gradscope.Experiments;

/// <summary>The <see cref="RunView"/> of a finished run, whether it kept its records in memory or wrote a directory.</summary>
public static class RunViews
{
    public static RunView Of(RunOutcome outcome, ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(spec);
        return outcome.Directory is null
            ? new RunView(RunInfos.Describe(spec.Network), outcome.Memory!.Records, outcome.Epochs) { Cost = spec.Network.Cost }
            : new RunView(RunRecord.Load(outcome.Directory));
    }
}
