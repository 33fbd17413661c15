using System.Numerics;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes;

/// <summary>
/// One measured quantity (Cockpit's sense): the record it writes, what it costs, what it needs the engine to sum
/// for it, the schedule it runs on, and how it measures. <see cref="ProbeSet{T}"/> calls a probe's hooks only on
/// the steps its group is due, in the order the probes are listed; a probe overrides the hooks it measures in.
/// Quantities computed from one pass over the same tensors stay separate probes that read a shared per-view cache
/// (e.g. <c>BackwardNorms</c>), so each keeps its own name, tier and needs without paying for the pass twice.
/// </summary>
public abstract class Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The record's quantity name, a constant of <see cref="Quantity"/>.</summary>
    public abstract string Quantity { get; }

    public abstract ProbeTier Tier { get; }

    public abstract ProbeGroup Group { get; }

    /// <summary>What the engine should sum for this probe on steps it is due (<see cref="Needs"/>).</summary>
    public virtual Needs Needs => Needs.None;

    /// <summary>Before backprop, at the weights the step starts from: once per layer l = 1 … L.</summary>
    public virtual void BeforeStep(ProbeContext<T> context, int layer) { }

    /// <summary>Before backprop, once per step, after every probe of the group has seen each layer.</summary>
    public virtual void BeforeStep(ProbeContext<T> context) { }

    /// <summary>
    /// During backprop through time, once per time step of a layer that has them (t = τ … 1, the order backprop ran),
    /// with that step's tensors; the layer's whole view (<see cref="Measure(ProbeContext{T}, in LayerView{T})"/>) follows.
    /// </summary>
    public virtual void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t) { }

    /// <summary>During backprop, once per layer view (output layer first), when its gradients are ready.</summary>
    public virtual void Measure(ProbeContext<T> context, in LayerView<T> view) { }

    /// <summary>Every step, due or not, once the whole gradient is ready: for probes that count between measurements.</summary>
    public virtual void Observe(ProbeContext<T> context, in GradientSummary gradients) { }

    /// <summary>On due steps, once the whole gradient is ready (after clipping), before the update.</summary>
    public virtual void Measure(ProbeContext<T> context, in GradientSummary gradients) { }

    /// <summary>
    /// After the update, with the norms the optimiser measured in its own pass for layer l's weights (those of its
    /// other parameters through <see cref="ProbeContext{T}.UpdateNormsOf"/>); called only on steps where
    /// <see cref="ProbeContext{T}.UpdateNormsFromOptimizer"/> holds.
    /// </summary>
    public virtual void Updated(ProbeContext<T> context, int layer, in UpdateNorms norms) { }

    /// <summary>After the update, once per step.</summary>
    public virtual void AfterStep(ProbeContext<T> context) { }

    /// <summary>What this probe carries from one step to the next, for a checkpoint (most carry nothing).</summary>
    public virtual void WriteState(BinaryWriter writer) { }

    /// <summary>Restores what <see cref="WriteState"/> wrote.</summary>
    public virtual void ReadState(BinaryReader reader) { }

    public override string ToString() => $"{Quantity} ({Tier}, {Group})";
}
