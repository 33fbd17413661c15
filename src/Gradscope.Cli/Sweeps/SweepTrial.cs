using Gradscope.Experiments;

namespace Gradscope.Cli.Sweeps;

/// <summary>One trial of a sweep: its index, its id (a hash of the resolved spec), its run sub-directory, spec and swept values.</summary>
public sealed record SweepTrial(int Index, string Id, string Dir, ExperimentSpec Spec, IReadOnlyList<KeyValuePair<string, string>> Params)
{
    public PlannedTrial ToPlanned() =>
        new(Index, Id, Dir, Spec.Seed, new Dictionary<string, string>(Params));
}
