using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>Where a training step is: its 0-based index, epoch, batch size and mean cost of the batch.</summary>
public readonly record struct StepInfo(long Step, int Epoch, int BatchSize, double Cost);

/// <summary>
/// Sees each training step from inside: every layer's tensors during backprop (output layer first), then the
/// network after the update. Attach with <see cref="Trainer{T}.Attach"/>; dispose the handle to detach.
/// Implementations must not keep the spans beyond the call.
/// </summary>
public interface ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Called after the forward pass and before backprop.</summary>
    void OnStepStarting(in StepInfo step) { }

    /// <summary>
    /// Whether this observer reads <see cref="StepInfo.Cost"/>. Computing the batch cost takes a logarithm per output,
    /// so the trainer does it only for observers that ask (the output layer's trace carries the targets otherwise).
    /// </summary>
    bool WantsBatchCost => false;

    /// <summary>
    /// Whether this observer reads <see cref="LayerTrace{T}.DeltaSquares"/> on this step; backprop then sums them in
    /// the pass that forms δ instead of the observer making a pass of its own. Asked after <see cref="OnStepStarting"/>.
    /// </summary>
    bool WantsDeltaNorms => false;

    /// <summary>Called once per layer l = L … 1 when ∂C/∂W^l and ∂C/∂b^l are ready.</summary>
    void OnLayer(in StepInfo step, in LayerTrace<T> trace);

    /// <summary>Called once the whole gradient is ready (after clipping) and before the optimiser updates.</summary>
    void OnGradientsReady(in StepInfo step, in GradientSummary gradients) { }

    /// <summary>
    /// Which norms this observer wants the optimiser to measure during its update (<see cref="OnUpdated"/>); asked
    /// after <see cref="OnStepStarting"/>, so it can depend on the step.
    /// </summary>
    UpdateNormKinds WantsUpdateNorms => UpdateNormKinds.None;

    /// <summary>
    /// Called after the update with ‖∂C/∂W^l‖², ‖W^l‖² (before the step) and ‖ΔW^l‖² per layer (index l − 1), when the
    /// optimiser measured them in its own pass (plain SGD without clipping) and an observer asked.
    /// </summary>
    void OnUpdated(in StepInfo step, ReadOnlySpan<UpdateNorms> norms) { }

    /// <summary>Called after the optimiser has updated every layer.</summary>
    void OnStepCompleted(in StepInfo step, Network<T> network) { }
}
