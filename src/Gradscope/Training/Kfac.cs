using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Gradscope.Numerics;

namespace Gradscope.Training;

/// <summary>
/// K-FAC for dense layers (Martens &amp; Grosse 2015): the Fisher block of layer l is approximated by A ⊗ G with
/// A = E[ã ãᵀ] (ã = [a^{l−1}; 1], so the bias is the last column of [W b]) and G = E[δ δᵀ] of the per-example
/// δ^l (the empirical Fisher: δ from the true labels), both moving averages (decay ρ). Every T steps the
/// factors are damped with Tikhonov's λ split by π = √((tr A/n_A)/(tr G/n_G)) — A + π√λ I, G + (√λ/π) I —
/// and inverted by Cholesky; each step then moves [W b] ← [W b] − η G⁻¹ [∇W ∇b] A⁻¹.
/// It observes the layer traces (the trainer attaches it), and uses the rank-m form
/// [∇W ∇b] A⁻¹ = (1/m) Δᵀ (Ã A⁻¹) while the gradient is still the traces' (not clipped), which costs m·n_A²
/// instead of n_G·n_A². Nielsen's L2 is applied as the shrink (1 − ηλ/n) W, outside the preconditioner.
/// </summary>
public sealed class Kfac<T> : IOptimizer<T>, ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _damping;
    private readonly int _inverseEvery;
    private readonly KroneckerFactor<T>[] _a, _g;
    private readonly long[] _refreshed, _seen;
    private readonly T[][] _inputs, _deltas;
    private readonly int[] _rows;
    private T[][] _left = [], _right = [];
    private readonly T[][] _step;
    private bool _clipped;

    public Kfac(Network<T> network, double decay, double damping, int inverseEvery)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(decay >= 0 && decay < 1)) throw new ArgumentException($"Invalid decay: {decay} (must be in [0, 1)).");
        if (!double.IsFinite(damping) || damping <= 0) throw new ArgumentException($"Invalid damping: {damping} (must be a positive finite number).");
        if (inverseEvery < 1) throw new ArgumentException($"Invalid K-FAC inverse interval: {inverseEvery} (must be at least 1).");
        foreach (var layer in network.Layers)
            if (layer.Normalization != Normalization.None)
                throw new ArgumentException($"K-FAC supports dense layers only; layer {layer.Index} has '{layer.Normalization}' normalisation.");
        _damping = damping;
        _inverseEvery = inverseEvery;
        int depth = network.Depth;
        _a = new KroneckerFactor<T>[depth];
        _g = new KroneckerFactor<T>[depth];
        _refreshed = new long[depth];
        _seen = new long[depth];
        _inputs = new T[depth][];
        _deltas = new T[depth][];
        _rows = new int[depth];
        _step = new T[depth][];
        for (int i = 0; i < depth; i++)
        {
            var layer = network.Layers[i];
            // Rows wait for the next inversion, at most 64 steps of them (folded early past that).
            int pending = Math.Min(inverseEvery, 64);
            _a[i] = new KroneckerFactor<T>(layer.FanIn + 1, decay, pending);
            _g[i] = new KroneckerFactor<T>(layer.FanOut, decay, pending);
            _refreshed[i] = _seen[i] = -1;
            _inputs[i] = [];
            _deltas[i] = [];
            _step[i] = new T[layer.FanOut * (layer.FanIn + 1)];
        }
    }

    public string Name => "kfac";

    public void OnLayer(in StepInfo step, in LayerTrace<T> trace)
    {
        int i = trace.Layer - 1, m = trace.BatchSize, n = trace.FanIn + 1;
        _a[i].Record(trace.Input, m, trace.FanIn, appendOne: true);
        _g[i].Record(trace.Delta, m, trace.FanOut, appendOne: false);
        if (_inputs[i].Length < m * n)
        {
            _inputs[i] = new T[m * n];
            _deltas[i] = new T[m * trace.FanOut];
        }
        for (int r = 0; r < m; r++)
        {
            trace.Input.Slice(r * trace.FanIn, trace.FanIn).CopyTo(_inputs[i].AsSpan(r * n));
            _inputs[i][r * n + trace.FanIn] = T.One;
        }
        trace.Delta.CopyTo(_deltas[i]);
        _rows[i] = m;
        _seen[i] = step.Step;
    }

    public void OnGradientsReady(in StepInfo step, in GradientSummary gradients) => _clipped = gradients.Clipped;

    public void Update(DenseLayer<T> layer, ReadOnlySpan<T> weightGradient, ReadOnlySpan<T> biasGradient, in UpdateContext context)
    {
        int i = layer.Index - 1, nA = layer.FanIn + 1, nG = layer.FanOut;
        if (_seen[i] < 0)
            throw new InvalidOperationException("K-FAC has seen no layer traces: attach it to the trainer (the trainer does when it is the optimiser).");
        if (_refreshed[i] < 0 || context.Step - _refreshed[i] >= _inverseEvery) Refresh(i);

        Span<T> p = _step[i]; // G⁻¹ [∇W ∇b] A⁻¹, [n_G × n_A]
        var a = _a[i].Inverse;
        var g = _g[i].Inverse;
        if (_seen[i] == context.Step && !_clipped)
        {
            int m = _rows[i];
            EnsureScratch(i, m, nA, nG);
            Span<T> left = _left[i].AsSpan(0, m * nA), right = _right[i].AsSpan(0, nG * m);
            Gemm.Multiply(false, false, m, nA, nA, T.One, _inputs[i], nA, a, nA, T.Zero, left, nA);
            Gemm.Multiply(false, true, nG, m, nG, T.One / T.CreateChecked(m), g, nG, _deltas[i], nG, T.Zero, right, m);
            Gemm.Multiply(false, false, nG, nA, m, T.One, right, m, left, nA, T.Zero, p, nA);
        }
        else
        {
            EnsureScratch(i, nG, nA, nG);
            Span<T> gradient = _left[i].AsSpan(0, nG * nA), half = _right[i].AsSpan(0, nG * nA);
            for (int j = 0; j < nG; j++)
            {
                weightGradient.Slice(j * layer.FanIn, layer.FanIn).CopyTo(gradient.Slice(j * nA));
                gradient[j * nA + layer.FanIn] = biasGradient[j];
            }
            Gemm.Multiply(false, false, nG, nA, nA, T.One, gradient, nA, a, nA, T.Zero, half, nA);
            Gemm.Multiply(false, false, nG, nA, nG, T.One, g, nG, half, nA, T.Zero, p, nA);
        }

        Span<T> w = layer.Weights;
        if (context.WeightDecay != 0)
            TensorPrimitives.Multiply(w, T.CreateChecked(1.0 - context.LearningRate * context.WeightDecay), w);
        T minusEta = T.CreateChecked(-context.LearningRate), minusEtaB = T.CreateChecked(-context.BiasLearningRate);
        for (int j = 0; j < nG; j++)
        {
            var row = w.Slice(j * layer.FanIn, layer.FanIn);
            TensorPrimitives.MultiplyAdd(p.Slice(j * nA, layer.FanIn), minusEta, row, row);
            layer.Biases[j] += minusEtaB * p[j * nA + layer.FanIn];
        }
    }

    private void Refresh(int i)
    {
        _a[i].Fold();
        _g[i].Fold();
        double meanA = _a[i].MeanEigenvalue(), meanG = _g[i].MeanEigenvalue();
        double pi = Math.Sqrt(meanA / meanG);
        if (!double.IsFinite(pi) || pi <= 0) pi = 1;
        double root = Math.Sqrt(_damping);
        bool ok = _a[i].Invert(pi * root) & _g[i].Invert(root / pi);
        if (!ok && !(_a[i].HasInverse && _g[i].HasInverse))
            throw new InvalidOperationException($"K-FAC: the damped factors of layer {i + 1} are not positive definite (non-finite statistics?).");
        _refreshed[i] = _seen[i];
    }

    private void EnsureScratch(int i, int rows, int nA, int nG)
    {
        if (_left.Length == 0)
        {
            _left = new T[_a.Length][];
            _right = new T[_a.Length][];
            for (int k = 0; k < _a.Length; k++) _left[k] = _right[k] = [];
        }
        if (_left[i].Length < rows * nA) _left[i] = new T[rows * nA];
        if (_right[i].Length < Math.Max(nG * rows, rows * nA)) _right[i] = new T[Math.Max(nG * rows, rows * nA)];
    }
}
