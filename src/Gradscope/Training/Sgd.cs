using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>Plain gradient descent with Nielsen's weight decay: W ← (1 − ηλ/n) W − η ∂C/∂W, b ← b − η ∂C/∂b.</summary>
public sealed class Sgd<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "sgd";

    /// <summary>
    /// When set, <see cref="Update"/> also measures ‖∂C/∂W‖², ‖W‖² and ‖ΔW‖² in its single pass over the weights and
    /// leaves them in <see cref="LastNorms"/> (the trainer turns this on for observers that want them).
    /// </summary>
    public bool MeasureNorms { get; set; }

    /// <summary>The norms measured by the last <see cref="Update"/> when <see cref="MeasureNorms"/> is on.</summary>
    public UpdateNorms LastNorms { get; private set; }

    public void Update(DenseLayer<T> layer, ReadOnlySpan<T> weightGradient, ReadOnlySpan<T> biasGradient, in UpdateContext context)
    {
        T minusEta = T.CreateChecked(-context.LearningRate);
        Span<T> w = layer.Weights;
        T decay = context.WeightDecay != 0 ? T.CreateChecked(1.0 - context.LearningRate * context.WeightDecay) : T.One;
        if (MeasureNorms) LastNorms = StepMeasured(w, weightGradient, decay, minusEta);
        else
        {
            if (context.WeightDecay != 0) TensorPrimitives.Multiply(w, decay, w);
            TensorPrimitives.MultiplyAdd(weightGradient, minusEta, w, w);
        }
        Span<T> b = layer.Biases;
        TensorPrimitives.MultiplyAdd(biasGradient, T.CreateChecked(-context.BiasLearningRate), b, b);
    }

    /// <summary>
    /// w ← (w·decay) + g·(−η), rounding each operation as the unmeasured path does (so measuring never changes the
    /// trajectory), while summing g², w² and (w_new − w)² in the same pass.
    /// </summary>
    private static UpdateNorms StepMeasured(Span<T> w, ReadOnlySpan<T> g, T decay, T minusEta)
    {
        ref T pw = ref MemoryMarshal.GetReference(w);
        ref T pg = ref MemoryMarshal.GetReference(g);
        int n = w.Length, i = 0;
        T gg = T.Zero, ww = T.Zero, dd = T.Zero;
        // Vector<T> (256-bit here) is enough: the pass is bound by reading and writing the weights, not by arithmetic.
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && n >= Vector<T>.Count)
        {
            var vDecay = new Vector<T>(decay);
            var vEta = new Vector<T>(minusEta);
            Vector<T> ag = Vector<T>.Zero, aw = ag, ad = ag;
            for (; i + Vector<T>.Count <= n; i += Vector<T>.Count)
            {
                var wv = Vector.LoadUnsafe(ref pw, (nuint)i);
                var gv = Vector.LoadUnsafe(ref pg, (nuint)i);
                var next = wv * vDecay + gv * vEta;
                next.StoreUnsafe(ref pw, (nuint)i);
                var dv = next - wv;
                ag += gv * gv;
                aw += wv * wv;
                ad += dv * dv;
            }
            gg = Vector.Sum(ag);
            ww = Vector.Sum(aw);
            dd = Vector.Sum(ad);
        }
        for (; i < n; i++)
        {
            T before = w[i];
            T next = before * decay + g[i] * minusEta;
            w[i] = next;
            T d = next - before;
            gg += g[i] * g[i];
            ww += before * before;
            dd += d * d;
        }
        return new UpdateNorms(double.CreateTruncating(gg), double.CreateTruncating(ww), double.CreateTruncating(dd));
    }
}
