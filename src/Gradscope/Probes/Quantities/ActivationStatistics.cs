using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// The one pass over a^l behind the dead fraction and the activation moments: the sum, the sum of squares and the
/// number of units whose activation is exactly zero for every example of the batch.
/// </summary>
internal sealed class ActivationColumns<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private long _view = -1;
    private (double Sum, double Squares, int DeadUnits) _columns;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public (double Sum, double Squares, int DeadUnits) Of(ProbeContext<T> context, in LayerView<T> view) =>
        _view == context.ViewSerial ? _columns : Measure(context, view);

    private (double Sum, double Squares, int DeadUnits) Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        _view = context.ViewSerial;
        return _columns = Numerics.Reductions.ColumnStatistics(view.A, view.BatchSize, view.FanOut);
    }
}

/// <summary>Fraction of layer l's units that are zero for every example of the batch (dead ReLUs).</summary>
internal sealed class DeadFraction<T>(ActivationColumns<T> columns) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.DeadFraction;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view) =>
        context.Emit(view.Index, Quantity, columns.Of(context, view).DeadUnits / (double)view.FanOut);
}

/// <summary>Mean of a^l over the batch and units.</summary>
internal sealed class ActivationMean<T>(ActivationColumns<T> columns) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.ActivationMean;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view) =>
        context.Emit(view.Index, Quantity, columns.Of(context, view).Sum / view.A.Length);
}

/// <summary>Standard deviation of a^l over the batch and units, √(E[a²] − E[a]²).</summary>
internal sealed class ActivationStd<T>(ActivationColumns<T> columns) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.ActivationStd;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        var c = columns.Of(context, view);
        int n = view.A.Length;
        double mean = c.Sum / n;
        context.Emit(view.Index, Quantity, Math.Sqrt(Math.Max(0, c.Squares / n - mean * mean)));
    }
}
