using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Numerics;
using Gradscope.Probes;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Gradscope.TorchSharp;

// The quantities, with the engine's definitions (ProbeSet.Measures.cs) and its kernels (Reductions), read straight
// from the tensors' memory: a probe costs a pass over the data, not a chain of TorchSharp calls.
public sealed partial class MonitorScope
{
    private void Measure<T>(long step, double cost) where T : unmanaged, IFloatingPointIeee754<T>
    {
        MeasurePendingUpdate<T>();
        bool norms = _norms.IsDue(step), statistics = _statistics.IsDue(step), histograms = _histograms.IsDue(step);
        RequireBackward(step);
        if (norms) FormBackward<T>();

        int depth = _layers.Count;
        var delta = new double[depth + 2];
        var back = new double[depth + 2];
        Array.Fill(delta, double.NaN);
        Array.Fill(back, double.NaN);
        int forwardNonFinite = int.MaxValue, updateNonFinite = int.MaxValue, backwardNonFinite = 0;
        double globalSquares = 0;
        bool scan = norms || !double.IsFinite(cost);
        if (statistics) Emit(step, 0, Quantity.Cost, cost);

        foreach (var layer in _layers)
        {
            int l = layer.Index;
            layer.WeightSquares = double.NaN;
            var (parameterSquares, gradientSquares) = ParameterSquares<T>(layer, scan, scan || statistics);
            if (scan)
            {
                double weightSquares = 0, biasSquares = 0;
                bool weights = false, biases = false;
                for (int i = 0; i < layer.Parameters.Count; i++)
                {
                    var p = layer.Parameters[i];
                    if (layer.Gradients[i] == IntPtr.Zero) continue;
                    double squares = gradientSquares[i];
                    globalSquares += squares;
                    if (norms) Emit(step, l, TorchQuantity.ParameterGradNorm, Math.Sqrt(squares), index: i);
                    if (p.Role == ParameterRole.Weight) (weightSquares, weights) = (weightSquares + squares, true);
                    if (p.Role == ParameterRole.Bias) (biasSquares, biases) = (biasSquares + squares, true);
                    if (!double.IsFinite(squares)) backwardNonFinite = Math.Max(backwardNonFinite, l);
                }
                if (norms && biases) Emit(step, l, Quantity.BiasGradNorm, Math.Sqrt(biasSquares));
                if (norms && weights) Emit(step, l, Quantity.WeightGradNorm, Math.Sqrt(weightSquares));
            }
            // One pass over the parameters gives their norms and whether the last update left them finite.
            bool parametersFinite = !(scan || statistics) || MeasureParameters<T>(step, layer, parameterSquares, statistics);
            if (!parametersFinite) updateNonFinite = Math.Min(updateNonFinite, l);
            if (norms && !MeasureDeltas<T>(step, layer, delta, back)) backwardNonFinite = Math.Max(backwardNonFinite, l);
            var z = Single(layer.Output);
            var a = Single(layer.ActivationOutput) is var kept && kept != IntPtr.Zero ? kept : z;
            // z^l is scanned only when something is already non-finite (the loss, a gradient, a parameter): then the
            // first layer whose z is not finite is where the forward pass broke. A finite step costs no pass over z.
            bool suspect = !double.IsFinite(cost) || backwardNonFinite != 0 || updateNonFinite != int.MaxValue;
            if (statistics) suspect |= !MeasureStatistics<T>(step, layer, a);
            if (suspect && parametersFinite && z != IntPtr.Zero && !Reductions.AllFinite(Read<T>(z)))
                forwardNonFinite = Math.Min(forwardNonFinite, l);
            if (histograms) MeasureHistograms<T>(step, layer, a);
        }

        if (norms)
        {
            // The backward gain between consecutive layers, ‖δ^l‖/‖δ^{l+1}‖ = weight factor × activation factor,
            // where both ends were seen once in the step.
            for (int l = 1; l < depth; l++)
            {
                if (double.IsNaN(delta[l]) || double.IsNaN(delta[l + 1])) continue;
                Emit(step, l, Quantity.Gain, delta[l] / delta[l + 1]);
                if (double.IsNaN(back[l])) continue;
                Emit(step, l, Quantity.WeightFactor, back[l] / delta[l + 1]);
                Emit(step, l, Quantity.ActivationFactor, delta[l] / back[l]);
            }
            Emit(step, 0, Quantity.GradGlobalNorm, Math.Sqrt(globalSquares));
        }
        if (_update.IsDue(step)) Snapshot<T>(step);
        if (NonFinite is null) FindNonFinite(step, cost, forwardNonFinite, updateNonFinite, backwardNonFinite);
    }

    /// <summary>Where a NaN or infinity first appeared, blamed as the engine blames it (ProbeSet.OnStepCompleted).</summary>
    private void FindNonFinite(long step, double cost, int forward, int update, int backward)
    {
        string? direction = null;
        int layer = 0;
        long at = step;
        // Non-finite weights come from the update of the step before; a forward overflow shows first in forward order,
        // a backward one first in backward order.
        if (update != int.MaxValue) (direction, layer, at) = ("update", update, Math.Max(0, step - 1));
        else if (forward != int.MaxValue) (direction, layer) = ("forward", forward);
        else if (backward != 0) (direction, layer) = ("backward", backward);
        else if (!double.IsFinite(cost)) (direction, layer) = ("forward", _layers.Count); // every output finite: the loss itself
        if (direction is null) return;
        NonFinite = new NonFiniteFinding(at, Epoch, layer, direction);
        _records.Add(new MetricRecord(at, Epoch, layer, Quantity.NonFinite, 1));
    }

    private double[] _parameterSquares = [], _gradientSquares = [];

    /// <summary>
    /// Σp² (when <paramref name="values"/>) and Σ(∂L/∂p)² (when <paramref name="gradients"/> and p has one) of each
    /// parameter of the layer; one loop reads a parameter and its gradient together.
    /// </summary>
    private (double[] Values, double[] Gradients) ParameterSquares<T>(ModuleLayer layer, bool gradients, bool values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = layer.Parameters.Count;
        if (_parameterSquares.Length < count) (_parameterSquares, _gradientSquares) = (new double[count], new double[count]);
        for (int i = 0; i < count; i++)
        {
            IntPtr g = gradients ? layer.Gradients[i] : IntPtr.Zero;
            var p = values ? Read<T>(layer.Parameters[i].Tensor.Handle) : default;
            var dp = g != IntPtr.Zero ? Read<T>(g) : default;
            if (values && g != IntPtr.Zero && p.Length == dp.Length) (_parameterSquares[i], _gradientSquares[i]) = OutputKernels.SumsOfSquares(p, dp);
            else
            {
                _parameterSquares[i] = values ? Reductions.SumOfSquares(p) : double.NaN;
                _gradientSquares[i] = g != IntPtr.Zero ? Reductions.SumOfSquares(dp) : double.NaN;
            }
        }
        return (_parameterSquares, _gradientSquares);
    }

    /// <summary>‖p‖ of each parameter and ‖W^l‖ (written when <paramref name="emit"/>); false when a parameter is not finite.</summary>
    private bool MeasureParameters<T>(long step, ModuleLayer layer, double[] parameterSquares, bool emit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = layer.Index;
        double weightSquares = 0, all = 0;
        bool weights = false;
        for (int i = 0; i < layer.Parameters.Count; i++)
        {
            var p = layer.Parameters[i];
            double squares = parameterSquares[i];
            all += squares;
            if (emit) Emit(step, l, TorchQuantity.ParameterNorm, Math.Sqrt(squares), index: i);
            if (p.Role == ParameterRole.Weight) (weightSquares, weights) = (weightSquares + squares, true);
        }
        if (emit && weights) Emit(step, l, Quantity.WeightNorm, Math.Sqrt(weightSquares));
        layer.WeightSquares = weights ? weightSquares : double.NaN;
        // A sum of squares of finite floats is finite in double; NaN or ∞ anywhere makes it so.
        return double.IsFinite(all) || ParametersFinite<T>(layer);
    }

    /// <summary>Activation statistics and σ' of layer l, in one pass over a^l; false when a^l is not finite.</summary>
    private bool MeasureStatistics<T>(long step, ModuleLayer layer, IntPtr a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = layer.Index;
        if (a == IntPtr.Zero) return true;

        var values = Read<T>(a);
        int rows = (int)NativeTensor.Rows(a), width = values.Length / Math.Max(1, rows);
        // Dead: a unit (one output element of an example) silent on every one of the last examples measured (DeadUnits).
        if (_dead.Observe<T>(l, values, rows, width, _deadWindow) is { } dead) Emit(step, l, Quantity.DeadFraction, dead);
        // σ' only where the activation is a module of its own whose derivative follows from its output.
        var kind = layer.ActivationKind is { HasSigmaPrime: true } k && Single(layer.ActivationOutput) != IntPtr.Zero ? k : null;
        var sums = kind is not null ? kind.Statistics(values) : Moments(values);
        double mean = sums.Sum / values.Length;
        Emit(step, l, Quantity.ActivationMean, mean);
        Emit(step, l, Quantity.ActivationStd, Math.Sqrt(Math.Max(0, sums.SumOfSquares / values.Length - mean * mean)));
        if (kind is not null)
        {
            Emit(step, l, Quantity.SigmaPrimeMean, sums.PrimeSum / values.Length);
            Emit(step, l, Quantity.SigmaPrimeMin, sums.PrimeMin);
            Emit(step, l, Quantity.SigmaPrimeMax, sums.PrimeMax);
            Emit(step, l, Quantity.SaturatedFraction, sums.Saturated / (double)values.Length);
        }
        return double.IsFinite(sums.SumOfSquares);

        static ActivationSums Moments(ReadOnlySpan<T> values)
        {
            var (sum, squares) = OutputKernels.Moments(values);
            return new(sum, squares, double.NaN, double.NaN, double.NaN, 0);
        }
    }

    private void MeasureHistograms<T>(long step, ModuleLayer layer, IntPtr a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var counts = new double[Histogram.Count];
        long n = 0;
        for (int i = 0; i < layer.Parameters.Count; i++)
        {
            IntPtr g = layer.Gradients[i];
            if (layer.Parameters[i].Role != ParameterRole.Weight || g == IntPtr.Zero) continue;
            var values = Read<T>(g);
            Histogram.Accumulate(values, counts);
            n += values.Length;
        }
        if (n > 0) Emit(step, layer.Index, Quantity.WeightGradHistogram, n, counts);
        if (a == IntPtr.Zero) return;
        var activations = Read<T>(a);
        var activationCounts = new double[Histogram.Count];
        Histogram.Accumulate(activations, activationCounts);
        Emit(step, layer.Index, Quantity.ActivationHistogram, activations.Length, activationCounts);
    }

    /// <summary>
    /// W^l before the user's optimizer.step(), kept until the next call measures ‖ΔW^l‖/‖W^l‖. The copies go into
    /// arrays kept from one due step to the next: a fresh copy of a large weight each time is a large-object
    /// allocation, and its zeroing and collection cost more than the copy.
    /// </summary>
    private void Snapshot<T>(long step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var layer in _layers)
        {
            var weights = layer.Weights;
            var snapshot = layer.Snapshot ??= new Array[weights.Count];
            double squares = 0;
            for (int i = 0; i < weights.Count; i++)
            {
                var now = Read<T>(weights[i].Tensor.Handle);
                if (snapshot[i] is not T[] copy || copy.Length != now.Length) snapshot[i] = copy = new T[now.Length];
                now.CopyTo(copy);
                // ‖W‖² was summed this step when the parameters' norms were due; else it is summed here.
                if (double.IsNaN(layer.WeightSquares)) squares += Reductions.SumOfSquares<T>(copy);
            }
            layer.SnapshotSquares = double.IsNaN(layer.WeightSquares) ? squares : layer.WeightSquares;
        }
        _pendingUpdateStep = step;
    }

    /// <summary>Update ratio ‖ΔW^l‖/‖W^l‖ of the step snapshotted last, now that the optimiser has stepped.</summary>
    private void MeasurePendingUpdate<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_pendingUpdateStep < 0) return;
        foreach (var layer in _layers)
        {
            if (layer.Snapshot is not { Length: > 0 } snapshot) continue;
            double before = layer.SnapshotSquares, change = 0;
            for (int i = 0; i < snapshot.Length; i++)
            {
                var old = (T[])snapshot[i];
                var now = Read<T>(layer.Weights[i].Tensor.Handle);
                double d = double.CreateTruncating(TensorPrimitives.Distance<T>(now, old));
                change += d * d;
            }
            before = Math.Sqrt(before);
            _records.Add(new MetricRecord(_pendingUpdateStep, Epoch, layer.Index, Quantity.UpdateRatio, before > 0 ? Math.Sqrt(change) / before : double.NaN));
        }
        _pendingUpdateStep = -1;
    }

    private bool ParametersFinite<T>(ModuleLayer layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var p in layer.Parameters)
            if (!Reductions.AllFinite(Read<T>(p.Tensor.Handle))) return false;
        return true;
    }

    /// <summary>The loss as a number (its mean, should it not be a scalar), read without a chain of tensor operations.</summary>
    private double Cost<T>(Tensor loss) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = Read<T>(loss.Handle);
        return values.Length == 1 ? double.CreateTruncating(values[0]) : double.CreateTruncating(TensorPrimitives.Sum(values)) / values.Length;
    }

    /// <summary>The module's one output this step; null when it gave none, or several (an unrolled cell).</summary>
    private static IntPtr Single(OutputTap? tap) => tap is { Outputs.Count: 1 } ? tap.Outputs[0] : IntPtr.Zero;

    /// <summary>
    /// A tensor's values, from a native handle (a parameter's, a kept output's, a gradient's): in place when it is a
    /// contiguous CPU tensor of the run's type (the usual case), else a converted copy owned by the step's dispose scope.
    /// </summary>
    private unsafe ReadOnlySpan<T> Read<T>(IntPtr handle) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (NativeTensor.TryRead<T>(handle, _dtype, out var values)) return values;
        var t = Tensor.UnsafeCreateTensor(NativeTensor.THSTensor_alias(handle)).detach();
        if (t.device_type != global::TorchSharp.DeviceType.CPU) t = t.cpu();
        if (t.dtype != _dtype) t = t.to_type(_dtype);
        if (!t.is_contiguous()) t = t.contiguous();
        return new ReadOnlySpan<T>((void*)NativeTensor.THSTensor_data(t.Handle), checked((int)t.NumberOfElements));
    }

    private void Emit(long step, int layer, string quantity, double value, double[]? values = null, int index = 0) =>
        _records.Add(new MetricRecord(step, Epoch, layer, quantity, value, values, index));
}
