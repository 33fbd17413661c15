using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Gradscope.Numerics;

namespace Gradscope.Training;

/// <summary>
/// Forward and backward passes over a batch held in a <see cref="Workspace{T}"/> (Nielsen's backprop in
/// matrix form, one row per example):
/// z^l = a^{l−1} (W^l)ᵀ + b^l,  δ^L = ∇_a C ⊙ σ'(z^L),  δ^l = (δ^{l+1} W^{l+1}) ⊙ σ'(z^l),
/// ∂C/∂W^l = (1/m) (δ^l)ᵀ a^{l−1},  ∂C/∂b^l = (1/m) Σ_x δ^l_x.
/// Normalised layers (z^l = γ ⊙ û + b, û the normalised u = W a^{l−1}) route δ^l through the normaliser
/// (<see cref="Normalizer"/>) before the two products with W; residual layers (a^l = σ(z^l) + a^{l−1}) add
/// ∂C/∂a^l to ∂C/∂a^{l−1}. Plain layers take exactly the path above.
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
        ReadOnlySpan<T> input = ws.Input.AsSpan(0, count * network.InputSize);
        for (int i = 0; i < network.Depth; i++)
        {
            var layer = network.Layers[i];
            int n = count * layer.FanOut;
            Span<T> z = ws.Z[i].AsSpan(0, n);
            bool normalized = layer.Normalization != Normalization.None;
            Gemm.Multiply(false, true, count, layer.FanOut, layer.FanIn,
                T.One, input, layer.FanIn, layer.Weights, layer.FanIn, T.Zero, normalized ? ws.Hat[i].AsSpan(0, n) : z, layer.FanOut, pool);
            if (normalized)
            {
                Normalizer.Forward(layer, ws, i, count, mode);
            }
            else
            {
                for (int r = 0; r < count; r++)
                {
                    Span<T> row = z.Slice(r * layer.FanOut, layer.FanOut);
                    TensorPrimitives.Add(row, layer.Biases, row);
                }
            }
            Span<T> a = ws.A[i].AsSpan(0, n);
            layer.Activation.ForwardRows<T>(z, a, ws.SigmaPrime[i].AsSpan(0, n), layer.FanOut);
            if (layer.Residual) TensorPrimitives.Add(a, input, a);
            input = a;
        }
    }

    /// <summary>
    /// Backward pass after <see cref="Forward"/>: fills δ^l, ∂C/∂a^l and the mean gradients of every layer,
    /// calling each observer once per layer, output first.
    /// </summary>
    public static void Backward<T>(Network<T> network, Workspace<T> ws, int count, ComputePool? pool,
        ITrainingObserver<T>[] observers, in StepInfo step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckCount(ws, count);
        int depth = network.Depth;
        int outputs = network.OutputSize;
        var last = depth - 1;
        // Every cost's output error is element-wise: one call covers the batch.
        int all = count * outputs;
        network.Cost.OutputDelta<T>(ws.A[last].AsSpan(0, all), ws.Target.AsSpan(0, all), ws.SigmaPrime[last].AsSpan(0, all), ws.Delta[last].AsSpan(0, all));

        // Observers that read ‖δ‖ get it summed here, in the pass that forms δ, rather than in a pass of their own.
        bool measure = false;
        foreach (var observer in observers) measure |= observer.WantsDeltaNorms;
        ws.DeltaNormsMeasured = measure;
        if (measure) ws.DeltaSquares[last] = Numerics.Reductions.SumOfSquares<T>(ws.Delta[last].AsSpan(0, count * outputs));

        T inverseCount = T.One / T.CreateChecked(count);
        for (int i = last; i >= 0; i--)
        {
            var layer = network.Layers[i];
            ReadOnlySpan<T> input = i == 0
                ? ws.Input.AsSpan(0, count * layer.FanIn)
                : ws.A[i - 1].AsSpan(0, count * layer.FanIn);
            ReadOnlySpan<T> delta = ws.Delta[i].AsSpan(0, count * layer.FanOut);

            // What W^l sees: δ^l itself, or ∂C/∂u through the normaliser.
            ReadOnlySpan<T> source = delta;
            if (layer.Normalization != Normalization.None)
            {
                Normalizer.Backward(layer, ws, i, count);
                source = ws.NormGradient[i].AsSpan(0, count * layer.FanOut);
            }

            // ∂C/∂W^l = (1/m) δᵀ a^{l−1}
            Gemm.Multiply(true, false, layer.FanOut, layer.FanIn, count,
                inverseCount, source, layer.FanOut, input, layer.FanIn, T.Zero, ws.WeightGradient[i], layer.FanIn, pool);

            Span<T> gradB = ws.BiasGradient[i];
            delta[..layer.FanOut].CopyTo(gradB);
            for (int r = 1; r < count; r++) TensorPrimitives.Add(gradB, delta.Slice(r * layer.FanOut, layer.FanOut), gradB);
            TensorPrimitives.Multiply(gradB, inverseCount, gradB);

            if (i > 0)
            {
                // ∂C/∂a^{l−1} = δ^l W^l, then δ^{l−1} = ∂C/∂a^{l−1} ⊙ σ'(z^{l−1})
                int n = count * layer.FanIn;
                Span<T> back = ws.ActivationGradient[i - 1].AsSpan(0, n);
                Gemm.Multiply(false, false, count, layer.FanIn, layer.FanOut,
                    T.One, source, layer.FanOut, layer.Weights, layer.FanIn, T.Zero, back, layer.FanIn, pool);
                if (layer.Residual) TensorPrimitives.Add(back, ws.ActivationGradient[i].AsSpan(0, n), back);
                if (measure)
                    (ws.ActivationGradientSquares[i - 1], ws.DeltaSquares[i - 1]) =
                        Numerics.Reductions.MultiplyMeasured<T>(back, ws.SigmaPrime[i - 1].AsSpan(0, n), ws.Delta[i - 1].AsSpan(0, n));
                else TensorPrimitives.Multiply(back, ws.SigmaPrime[i - 1].AsSpan(0, n), ws.Delta[i - 1].AsSpan(0, n));
            }

            if (observers.Length != 0)
            {
                var trace = new LayerTrace<T>(layer, count, input, ws, i == last);
                foreach (var observer in observers) observer.OnLayer(step, trace);
            }
        }
    }

    /// <summary>Mean cost of the batch in the workspace after <see cref="Forward"/>.</summary>
    public static double BatchCost<T>(Network<T> network, Workspace<T> ws, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outputs = network.OutputSize;
        double sum = 0;
        var a = ws.A[^1];
        for (int r = 0; r < count; r++)
            sum += network.Cost.Value<T>(a.AsSpan(r * outputs, outputs), ws.Target.AsSpan(r * outputs, outputs));
        return sum / count;
    }

    private static void CheckCount<T>(Workspace<T> ws, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count < 1 || count > ws.Capacity)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Batch size must be in [1, {ws.Capacity}].");
    }
}
