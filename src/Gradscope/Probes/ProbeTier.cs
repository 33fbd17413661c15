namespace Gradscope.Probes;

/// <summary>
/// What a quantity costs, from cheap to full: the lowest preset (<see cref="ProbeOptions.FromPreset"/>) that
/// schedules it. Minimal quantities come from sums the engine makes anyway; standard ones take a pass of their own
/// over tensors of the batch; full ones take passes over whole weight matrices or extra forward/backward passes.
/// </summary>
public enum ProbeTier
{
    Minimal,
    Standard,
    Full,
}
