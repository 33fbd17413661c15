using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// The one pass behind the noise quantities: the mini-batch gradient g of layer l against the reference gradient r,
/// over W and b together: g·r, ‖g‖², ‖r‖².
/// </summary>
internal sealed class NoiseSums<T>(ReferenceGradient<T> reference) where T : unmanaged, IFloatingPointIeee754<T>
{
    private long _view = -1;
    private (double Dot, double GG, double RR) _sums;

    public (double Dot, double GG, double RR) Of(ProbeContext<T> context, in LayerView<T> view)
    {
        if (_view == context.ViewSerial) return _sums;
        _view = context.ViewSerial;
        ReadOnlySpan<T> rw = reference.Of(context, view.Index, ParameterRole.Weight), rb = reference.Of(context, view.Index, ParameterRole.Bias);
        ReadOnlySpan<T> gw = view.Parameter(ParameterRole.Weight).Gradient, gb = view.Parameter(ParameterRole.Bias).Gradient;
        double dot = double.CreateTruncating(TensorPrimitives.Dot(gw, rw)) + double.CreateTruncating(TensorPrimitives.Dot(gb, rb));
        double gg = double.CreateTruncating(TensorPrimitives.SumOfSquares(gw)) + double.CreateTruncating(TensorPrimitives.SumOfSquares(gb));
        double rr = double.CreateTruncating(TensorPrimitives.SumOfSquares(rw)) + double.CreateTruncating(TensorPrimitives.SumOfSquares(rb));
        return _sums = (dot, gg, rr);
    }
}

/// <summary>‖g − r‖/‖r‖: the mini-batch gradient's noise relative to the reference gradient (NaN when r = 0).</summary>
internal sealed class NoiseNormRatio<T>(NoiseSums<T> sums) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.NoiseNormRatio;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Reference;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        var (dot, gg, rr) = sums.Of(context, view);
        double diff = Math.Sqrt(Math.Max(0, gg - 2 * dot + rr));
        context.Emit(view.Index, Quantity, rr > 0 ? diff / Math.Sqrt(rr) : double.NaN);
    }
}

/// <summary>cos(g, r) between the mini-batch and reference gradients (NaN when either is 0).</summary>
internal sealed class NoiseCosine<T>(NoiseSums<T> sums) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.NoiseCosine;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Reference;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        var (dot, gg, rr) = sums.Of(context, view);
        context.Emit(view.Index, Quantity, gg > 0 && rr > 0 ? dot / Math.Sqrt(gg * rr) : double.NaN);
    }
}
