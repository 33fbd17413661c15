using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// The one pass over σ'(z^l) behind its mean, minimum, maximum and the saturated fraction (σ' below 1% of its
/// maximum, e.g. 0.0025 for the sigmoid), taken once per view by whichever of them asks first.
/// </summary>
internal sealed class SigmaPrimeSummary<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private long _view = -1;
    private (double Sum, double Min, double Max, int Saturated, int Count) _summary;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public (double Sum, double Min, double Max, int Saturated, int Count) Of(ProbeContext<T> context, in LayerView<T> view) =>
        _view == context.ViewSerial ? _summary : Measure(context, view);

    private (double Sum, double Min, double Max, int Saturated, int Count) Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        _view = context.ViewSerial;
        ReadOnlySpan<T> sp = view.SigmaPrime;
        var (sum, min, max, saturated) = Numerics.Reductions.Summary(sp, T.CreateTruncating(0.01 * view.Activation.MaxDerivative));
        return _summary = (sum, min, max, saturated, sp.Length);
    }
}

/// <summary>Mean of σ'(z^l) over the batch and units.</summary>
internal sealed class SigmaPrimeMean<T>(SigmaPrimeSummary<T> summary) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.SigmaPrimeMean;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        var s = summary.Of(context, view);
        context.Emit(view.Index, Quantity, s.Sum / s.Count);
    }
}

/// <summary>Smallest σ'(z^l) of the batch.</summary>
internal sealed class SigmaPrimeMin<T>(SigmaPrimeSummary<T> summary) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.SigmaPrimeMin;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view) =>
        context.Emit(view.Index, Quantity, summary.Of(context, view).Min);
}

/// <summary>Largest σ'(z^l) of the batch.</summary>
internal sealed class SigmaPrimeMax<T>(SigmaPrimeSummary<T> summary) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.SigmaPrimeMax;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view) =>
        context.Emit(view.Index, Quantity, summary.Of(context, view).Max);
}

/// <summary>Fraction of (example, unit) pairs with σ'(z) below 1% of the activation's maximum σ'.</summary>
internal sealed class SaturatedFraction<T>(SigmaPrimeSummary<T> summary) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.SaturatedFraction;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        var s = summary.Of(context, view);
        context.Emit(view.Index, Quantity, s.Saturated / (double)s.Count);
    }
}
