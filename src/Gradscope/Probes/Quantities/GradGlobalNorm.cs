using System.Numerics;
using Gradscope.Training;

namespace Gradscope.Probes.Quantities;

/// <summary>‖∂C/∂θ‖ over every parameter before clipping, on runs that clip (layer 0).</summary>
internal sealed class GradGlobalNorm<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.GradGlobalNorm;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;

    public override void Measure(ProbeContext<T> context, in GradientSummary gradients)
    {
        if (gradients.Clipping) context.Emit(0, Quantity, gradients.GlobalNorm);
    }
}
