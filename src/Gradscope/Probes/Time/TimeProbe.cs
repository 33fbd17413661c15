using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// One quantity through time of a recurrent layer (one class per quantity, as the other probes). <see cref="Measure"/>
/// sees each step's view t = τ … 1 of the step being measured; <see cref="Finish"/> sees the layer's whole view after
/// them, where a probe writes its records through <see cref="TimeRecords"/>.
/// </summary>
internal abstract class TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public virtual void Measure(TimeRecords records, in LayerView<T> view, int t) { }

    public virtual void Finish(TimeRecords records, RecurrentLayer<T> layer, in LayerView<T> view) { }

    /// <summary>The root-mean-square over the batch of each example's norm, ‖matrix‖_F/√m, as for ‖δ^l‖.</summary>
    protected static double Rms(ReadOnlySpan<T> matrix, int batch) => Numerics.Reductions.Norm(matrix) / Math.Sqrt(batch);
}
