using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Training;

/// <summary>
/// K-FAC for dense layers (Martens &amp; Grosse 2015): the Fisher block of layer l is approximated by A ⊗ G with
/// A = E[ã ãᵀ] (ã = [a^{l−1}; 1], so the bias is the last column of [W b]) and G = E[δ δᵀ] of the per-example
/// δ^l (the empirical Fisher: δ from the true labels), both moving averages (decay ρ). Every T steps the
/// factors are damped with Tikhonov's λ split by π = √((tr A/n_A)/(tr G/n_G)) — A + π√λ I, G + (√λ/π) I —
/// and inverted (Cholesky, or low rank plus damping for wide factors, below); each step then moves [W b] ← [W b] − η G⁻¹ [∇W ∇b] A⁻¹.
/// It observes the layer views (the trainer attaches it), and uses the rank-m form
/// [∇W ∇b] A⁻¹ = (1/m) Δᵀ (Ã A⁻¹) while the gradient is still the views' (not clipped), which costs m·n_A²
/// instead of n_G·n_A². Nielsen's L2 is applied as the shrink (1 − ηλ/n) W, outside the preconditioner.
/// <para>
/// Two amortisations keep the step cheap. The factor statistics are recorded only every S steps (as Martens &amp;
/// Grosse do), with the decay raised to ρ^S per record so the average still spans about 1/(1 − ρ) steps, though
/// from the examples of one step in S. A factor larger than <see cref="LowRankThreshold"/> is inverted in low-rank-plus-damping form with
/// its top k eigenpairs (see <see cref="KroneckerFactor{T}"/>), so applying it to the m rows costs 2·n·k·m, not n²·m.
/// </para>
/// </summary>
public sealed class Kfac<T> : IOptimizer<T>, ITrainingObserver<T>, IO.ICheckpointable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Factors of this dimension or less are inverted exactly: below it n² is cheap and the low-rank sketch gains little.</summary>
    public const int LowRankThreshold = 256;

    private readonly ILayer<T>[] _layers;
    private readonly double _damping;
    private readonly int _inverseEvery, _statsEvery;
    private readonly long[] _observed;
    private readonly KroneckerFactor<T>[] _a, _g;
    private readonly long[] _refreshed, _seen;
    private readonly T[][] _inputs, _deltas;
    private readonly int[] _rows;
    private T[][] _left = [], _right = [];
    private readonly T[][] _step;
    private bool _clipped;

    /// <param name="statsEvery">Record the factor statistics every this many steps (S ≥ 1).</param>
    /// <param name="rank">k of the low-rank inverse of factors above <see cref="LowRankThreshold"/>; k ≥ n means exact.</param>
    public Kfac(Network<T> network, double decay, double damping, int inverseEvery, int statsEvery = 1, int rank = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(decay >= 0 && decay < 1)) throw new ArgumentException($"Invalid decay: {decay} (must be in [0, 1)).");
        if (!double.IsFinite(damping) || damping <= 0) throw new ArgumentException($"Invalid damping: {damping} (must be a positive finite number).");
        if (inverseEvery < 1) throw new ArgumentException($"Invalid K-FAC inverse interval: {inverseEvery} (must be at least 1).");
        if (statsEvery < 1) throw new ArgumentException($"Invalid K-FAC statistics interval: {statsEvery} (must be at least 1).");
        if (rank < 1) throw new ArgumentException($"Invalid K-FAC rank: {rank} (must be at least 1).");
        foreach (var layer in network.Layers)
            if (layer.Parameters.Count != 2 || layer.Parameters[0].Role != ParameterRole.Weight || layer.Parameters[1].Role != ParameterRole.Bias)
                throw new ArgumentException($"K-FAC supports dense layers only (W and b); layer {layer.Index} is a {layer.GetType().Name.Split('`')[0]} with {string.Join(", ", layer.Parameters.Select(q => q.Name))}.");
        _layers = [.. network.Layers];
        _damping = damping;
        _inverseEvery = inverseEvery;
        _statsEvery = statsEvery;
        int depth = network.Depth;
        _a = new KroneckerFactor<T>[depth];
        _g = new KroneckerFactor<T>[depth];
        _refreshed = new long[depth];
        _seen = new long[depth];
        _observed = new long[depth];
        // One record stands for S steps, so it decays by ρ^S: the window 1/(1 − ρ) in steps is unchanged.
        double recordDecay = Math.Pow(decay, statsEvery);
        _inputs = new T[depth][];
        _deltas = new T[depth][];
        _rows = new int[depth];
        _step = new T[depth][];
        for (int i = 0; i < depth; i++)
        {
            var layer = network.Layers[i];
            // Rows wait for the next inversion, at most 64 records of them (folded early past that).
            int pending = (int)Math.Clamp((inverseEvery + (long)statsEvery - 1) / statsEvery, 1, 64);
            _a[i] = new KroneckerFactor<T>(layer.FanIn + 1, recordDecay, pending, RankFor(layer.FanIn + 1, rank));
            _g[i] = new KroneckerFactor<T>(layer.FanOut, recordDecay, pending, RankFor(layer.FanOut, rank));
            _refreshed[i] = _seen[i] = -1;
            _inputs[i] = [];
            _deltas[i] = [];
            _step[i] = new T[layer.FanOut * (layer.FanIn + 1)];
        }
    }

    public string Name => "kfac";

    /// <summary>Per layer: the step counters and both factors (between steps nothing else carries over).</summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        IO.StateIO.Write<long>(writer, _observed);
        IO.StateIO.Write<long>(writer, _refreshed);
        IO.StateIO.Write<long>(writer, _seen);
        for (int i = 0; i < _a.Length; i++)
        {
            _a[i].WriteState(writer);
            _g[i].WriteState(writer);
        }
    }

    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        IO.StateIO.ReadInto<long>(reader, _observed, "K-FAC counters");
        IO.StateIO.ReadInto<long>(reader, _refreshed, "K-FAC counters");
        IO.StateIO.ReadInto<long>(reader, _seen, "K-FAC counters");
        for (int i = 0; i < _a.Length; i++)
        {
            _a[i].ReadState(reader);
            _g[i].ReadState(reader);
        }
    }

    public void OnLayer(in StepInfo step, in LayerView<T> trace)
    {
        int i = trace.Index - 1, m = trace.BatchSize, n = trace.FanIn + 1;
        if (_observed[i]++ % _statsEvery == 0)
        {
            _a[i].Record(trace.Input, m, trace.FanIn, appendOne: true);
            _g[i].Record(trace.Delta, m, trace.FanOut, appendOne: false);
        }
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

    /// <summary>Forms each layer's preconditioned step P = G⁻¹ [∇W ∇b] A⁻¹ from the final (possibly clipped) gradient.</summary>
    public void BeginUpdate(in StepInfo step, Workspace<T> gradients)
    {
        for (int i = 0; i < _step.Length; i++)
        {
            var layer = _layers[i];
            int fanIn = layer.FanIn, nA = fanIn + 1, nG = layer.FanOut;
            if (_seen[i] < 0)
                throw new InvalidOperationException("K-FAC has seen no layer views: attach it to the trainer (the trainer does when it is the optimiser).");
            if (_refreshed[i] < 0 || step.Step - _refreshed[i] >= _inverseEvery) Refresh(i);

            Span<T> p = _step[i]; // G⁻¹ [∇W ∇b] A⁻¹, [n_G × n_A]
            if (_seen[i] == step.Step && !_clipped)
            {
                // [∇W ∇b] = (1/m) Δᵀ Ã, so G⁻¹ [∇W ∇b] A⁻¹ = (1/m) (Δ G⁻¹)ᵀ (Ã A⁻¹): both factors act on m rows.
                int m = _rows[i];
                EnsureScratch(i, m, nA, nG);
                Span<T> left = _left[i].AsSpan(0, m * nA), right = _right[i].AsSpan(0, m * nG);
                _a[i].ApplyInverse(_inputs[i], m, left);
                _g[i].ApplyInverse(_deltas[i], m, right);
                Gemm.Multiply(true, false, nG, nA, m, T.One / T.CreateChecked(m), right, nG, left, nA, T.Zero, p, nA);
                continue;
            }
            // G⁻¹ X = ((X)ᵀ G⁻¹)ᵀ: transpose so G's inverse also acts on rows, whatever its form.
            ReadOnlySpan<T> weightGradient = gradients.GradientOf(layer.Parameters[0]), biasGradient = gradients.GradientOf(layer.Parameters[1]);
            EnsureScratch(i, nG, nA, nG);
            Span<T> gradient = _left[i].AsSpan(0, nG * nA), half = _right[i].AsSpan(0, nG * nA);
            for (int j = 0; j < nG; j++)
            {
                weightGradient.Slice(j * fanIn, fanIn).CopyTo(gradient.Slice(j * nA));
                gradient[j * nA + fanIn] = biasGradient[j];
            }
            _a[i].ApplyInverse(gradient, nG, half);
            for (int j = 0; j < nG; j++)
                for (int k = 0; k < nA; k++) gradient[k * nG + j] = half[j * nA + k];
            _g[i].ApplyInverse(gradient, nA, half);
            for (int j = 0; j < nG; j++)
                for (int k = 0; k < nA; k++) p[j * nA + k] = half[k * nG + j];
        }
    }

    /// <summary>W ← (1 − ηλ/n) W − η P_W, or b ← b − η P_b, from the step <see cref="BeginUpdate"/> formed.</summary>
    public void Update(Parameter<T> parameter, ReadOnlySpan<T> gradient, in UpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        int i = parameter.Layer - 1, fanIn = _layers[i].FanIn, nA = fanIn + 1, nG = _layers[i].FanOut;
        ReadOnlySpan<T> p = _step[i];
        T minusEta = T.CreateChecked(-context.LearningRate);
        Span<T> values = parameter.Values;
        if (parameter.Role == ParameterRole.Bias)
        {
            for (int j = 0; j < nG; j++) values[j] += minusEta * p[j * nA + fanIn];
            return;
        }
        if (context.WeightDecay != 0)
            TensorPrimitives.Multiply(values, T.CreateChecked(1.0 - context.LearningRate * context.WeightDecay), values);
        for (int j = 0; j < nG; j++)
        {
            var row = values.Slice(j * fanIn, fanIn);
            TensorPrimitives.MultiplyAdd(p.Slice(j * nA, fanIn), minusEta, row, row);
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

    private static int RankFor(int size, int rank) => size > LowRankThreshold && rank < size ? rank : 0;

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
