using System.Numerics;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Training;

/// <summary>
/// Sequences the layers of a network over a batch held in a <see cref="Workspace{T}"/> (Nielsen's backprop in
/// matrix form, one row per example): forward l = 1 … L, then δ^L = ∇_a C ⊙ σ'(z^L) from the cost and backward
/// l = L … 1, each layer forming its δ^l and gradients (<see cref="ILayer{T}"/>). Observers see each layer once its
/// gradients are ready, through a <see cref="LayerView{T}"/>, and get what they declared in <see cref="Needs"/>.
/// </summary>
public static class Backprop
{
    /// <summary>
    /// Forward pass over the first <paramref name="count"/> rows of <see cref="Workspace{T}.Input"/>.
    /// <paramref name="mode"/> says which statistics batch normalisation uses (running averages by default).
    /// </summary>
    public static void Forward<T>(Network<T> network, Workspace<T> ws, int count, ComputePool? pool = null,
        ForwardMode mode = ForwardMode.Inference)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckCount(ws, count);
        var pass = new PassContext(count, pool, mode);
        ReadOnlySpan<T> input = ws.Input.AsSpan(0, count * network.InputSize);
        for (int i = 0; i < network.Depth; i++)
        {
            var layer = network.Layers[i];
            var buffers = ws.Layers[i];
            layer.Forward(input, buffers, pass);
            input = buffers.A.AsSpan(0, count * layer.OutputWidth);
        }
    }

    /// <summary>
    /// Backward pass after <see cref="Forward"/>: fills δ^l, ∂C/∂a^l and the mean gradients of every parameter,
    /// calling each observer once per layer (once per time step of a layer with a time dimension), output first.
    /// </summary>
    public static void Backward<T>(Network<T> network, Workspace<T> ws, int count, ComputePool? pool,
        ITrainingObserver<T>[] observers, in StepInfo step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckCount(ws, count);
        var needs = Needs.None;
        foreach (var observer in observers) needs |= observer.Needs;
        bool squares = needs.WantsSumOfSquares(LayerTensor.Delta) || needs.WantsSumOfSquares(LayerTensor.ActivationGradient);
        int last = network.Depth - 1;
        var output = ws.Layers[last];
        // Every cost's output error is element-wise: one call covers the batch.
        int all = count * network.OutputSize;
        network.Cost.OutputDelta<T>(output.A.AsSpan(0, all), ws.Target.AsSpan(0, all), output.SigmaPrime.AsSpan(0, all), output.Delta.AsSpan(0, all));
        var pass = new PassContext(count, pool, DeltaGiven: true, MeasureSquares: squares);
        output.DeltaFromCost(pass with { Count = count * network.Layers[last].RowsPerExample });

        for (int i = last; i >= 0; i--)
        {
            var layer = network.Layers[i];
            int width = layer.InputWidth;
            ReadOnlySpan<T> input = i == 0 ? ws.Input.AsSpan(0, count * width) : ws.Layers[i - 1].A.AsSpan(0, count * width);
            Span<T> inputGradient = i == 0 ? default : ws.Layers[i - 1].ActivationGradient.AsSpan(0, count * width);
            layer.Backward(input, ws.Layers[i], inputGradient, pass with { DeltaGiven = i == last });
            if (observers.Length == 0) continue;
            ReadOnlySpan<T> target = i == last ? ws.Target.AsSpan(0, all) : default;
            // A layer with a time dimension shows each step, latest first (the order backprop through time ran),
            // then itself as a whole.
            for (int t = ws.Layers[i].HasSteps ? layer.TimeSteps : 0; t >= 1; t--)
            {
                var stepView = new LayerView<T>(layer, ws.Layers[i], count, input, target, i == last, t);
                foreach (var observer in observers) observer.OnLayer(step, stepView);
            }
            // A read-out at every step shows one row per position (example, step).
            var view = new LayerView<T>(layer, ws.Layers[i], count * layer.RowsPerExample, input, target, i == last);
            foreach (var observer in observers) observer.OnLayer(step, view);
        }
    }

    /// <summary>Mean cost of the batch in the workspace after <see cref="Forward"/>.</summary>
    public static double BatchCost<T>(Network<T> network, Workspace<T> ws, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outputs = network.OutputSize;
        double sum = 0;
        var a = ws.Output(count);
        for (int r = 0; r < count; r++)
            sum += network.Cost.Value<T>(a.Slice(r * outputs, outputs), ws.Target.AsSpan(r * outputs, outputs));
        return sum / count;
    }

    private static void CheckCount<T>(Workspace<T> ws, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count < 1 || count > ws.Capacity)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Batch size must be in [1, {ws.Capacity}].");
    }
}
