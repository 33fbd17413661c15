using System.Numerics;
using Gradscope.Model;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>Histogram of ∂C/∂W^l over <see cref="Histogram"/>'s log-spaced bins; the value is the count of entries.</summary>
internal sealed class WeightGradHistogram<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _bins = new double[Histogram.Count];

    public override string Quantity => Record.Quantity.WeightGradHistogram;
    public override ProbeTier Tier => ProbeTier.Full;
    public override ProbeGroup Group => ProbeGroup.Histograms;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        var nablaW = view.Parameter(ParameterRole.Weight).Gradient;
        _bins.AsSpan().Clear();
        Histogram.Accumulate(nablaW, _bins);
        context.Emit(view.Index, Quantity, nablaW.Length, [.. _bins]);
    }
}

/// <summary>Histogram of a^l over <see cref="Histogram"/>'s bins; the value is the count of entries.</summary>
internal sealed class ActivationHistogram<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _bins = new double[Histogram.Count];

    public override string Quantity => Record.Quantity.ActivationHistogram;
    public override ProbeTier Tier => ProbeTier.Full;
    public override ProbeGroup Group => ProbeGroup.Histograms;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        _bins.AsSpan().Clear();
        Histogram.Accumulate(view.A, _bins);
        context.Emit(view.Index, Quantity, view.A.Length, [.. _bins]);
    }
}
