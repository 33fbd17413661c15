using System.Numerics;
using Gradscope.Model;
using Gradscope.Observation;

namespace Gradscope.Training;

/// <summary>Where a training step is: its 0-based index, epoch, batch size and mean cost of the batch.</summary>
public readonly record struct StepInfo(long Step, int Epoch, int BatchSize, double Cost);

/// <summary>
/// Sees each training step from inside: every layer's view during backprop (output layer first), the whole
/// gradient, the update, then the network after it. It declares what it needs computed in the engine's own passes
/// (<see cref="Needs"/>); the engine honours that without knowing what is measured. Attach with
/// <see cref="Trainer{T}.Attach"/>; dispose the handle to detach. Implementations must not keep the spans beyond the call.
/// </summary>
public interface ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Called after the forward pass and before backprop.</summary>
    void OnStepStarting(in StepInfo step) { }

    /// <summary>
    /// Whether this observer reads <see cref="StepInfo.Cost"/>. Computing the batch cost takes a logarithm per output,
    /// so the trainer does it only for observers that ask (the output layer's view carries the targets otherwise).
    /// </summary>
    bool WantsBatchCost => false;

    /// <summary>What this observer needs on this step; asked after <see cref="OnStepStarting"/>, so it can depend on the step.</summary>
    Needs Needs => Needs.None;

    /// <summary>Called once per layer l = L … 1 (per time step of a layer that has them) when its gradients are ready.</summary>
    void OnLayer(in StepInfo step, in LayerView<T> view);

    /// <summary>Called once the whole gradient is ready (after clipping) and before the optimiser updates.</summary>
    void OnGradientsReady(in StepInfo step, in GradientSummary gradients) { }

    /// <summary>
    /// Called after the update with the norms the optimiser measured in its own pass, one entry per parameter
    /// (<see cref="Parameter{T}.Index"/>; NaN where not measured), when an observer declared update-norm needs
    /// and the optimiser could honour them (it offers <see cref="IMeasuredUpdate{T}"/> and the gradient was not clipped).
    /// </summary>
    void OnUpdated(in StepInfo step, ReadOnlySpan<UpdateNorms> norms) { }

    /// <summary>Called after the optimiser has updated every parameter.</summary>
    void OnStepCompleted(in StepInfo step, Network<T> network) { }
}
