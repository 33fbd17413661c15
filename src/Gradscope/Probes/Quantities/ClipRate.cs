using System.Numerics;
using Gradscope.Training;

namespace Gradscope.Probes.Quantities;

/// <summary>The fraction of steps clipped since the last record, on runs that clip (layer 0). Counts every step.</summary>
internal sealed class ClipRate<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private long _steps, _clipped;

    public override string Quantity => Record.Quantity.ClipRate;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;

    public override void Observe(ProbeContext<T> context, in GradientSummary gradients)
    {
        if (!gradients.Clipping) return;
        _steps++;
        if (gradients.Clipped) _clipped++;
    }

    public override void Measure(ProbeContext<T> context, in GradientSummary gradients)
    {
        if (!gradients.Clipping) return;
        context.Emit(0, Quantity, _clipped / (double)_steps);
        _steps = _clipped = 0;
    }
}
