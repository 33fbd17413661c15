using System.Numerics;
using Gradscope.Model;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>‖∂C/∂b^l‖ of the mini-batch: Nielsen's speed of learning of layer l.</summary>
internal sealed class BiasGradNorm<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.BiasGradNorm;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        double norm = Numerics.Reductions.Norm(view.Parameter(ParameterRole.Bias).Gradient);
        context.Emit(view.Index, Quantity, norm);
        context.ReportBackward(view.Index, norm);
    }
}
