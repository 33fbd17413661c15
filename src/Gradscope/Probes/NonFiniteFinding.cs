namespace Gradscope.Probes;

/// <summary>Where a NaN or infinity first appeared: the step, the layer and the direction (forward, backward, update).</summary>
public sealed record NonFiniteFinding(long Step, int Epoch, int Layer, string Direction)
{
    public override string ToString() => $"non-finite value at step {Step} (epoch {Epoch}), layer {Layer}, {Direction} pass";
}
