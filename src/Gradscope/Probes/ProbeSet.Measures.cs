using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes;

public sealed partial class ProbeSet<T>
{
    private void MeasureNorms(in StepInfo step, in LayerView<T> trace)
    {
        int l = trace.Index;
        double biasNorm = Norm(trace.Parameter(ParameterRole.Bias).Gradient);
        Emit(step, l, Quantity.BiasGradNorm, biasNorm);
        double weightNorm = 0;
        if (!_deferred)
        {
            weightNorm = Norm(trace.Parameter(ParameterRole.Weight).Gradient);
            Emit(step, l, Quantity.WeightGradNorm, weightNorm);
        }

        // ‖δ^l‖ and ‖∂C/∂a^l‖ as root-mean-squares over the batch of each example's norm, √(Σ_x ‖row_x‖²/m) =
        // ‖matrix‖_F/√m, with the finiteness of z^l, in one pass (the output layer has no ∂C/∂a^l to compare).
        double rows = Math.Sqrt(trace.BatchSize), delta, back = double.NaN;
        bool zFinite;
        if (trace.TryGetSumOfSquares(LayerTensor.Delta, out double deltaSquares))
        {
            // Summed by backprop as it formed δ (a declared need): only z is left to look at.
            delta = Math.Sqrt(deltaSquares) / rows;
            if (trace.TryGetSumOfSquares(LayerTensor.ActivationGradient, out double backSquares)) back = Math.Sqrt(backSquares) / rows;
            zFinite = IsFinite(trace.Z);
        }
        else if (trace.IsOutput)
        {
            delta = Norm(trace.Delta) / rows;
            zFinite = IsFinite(trace.Z);
        }
        else
        {
            var (squares, backSquares, finite) = Numerics.Reductions.LayerNorms(trace.Delta, trace.ActivationGradient, trace.Z);
            (delta, back, zFinite) = (Math.Sqrt(squares) / rows, Math.Sqrt(backSquares) / rows, finite);
        }
        _deltaNorm[l] = delta;
        Emit(step, l, Quantity.DeltaNorm, delta);
        if (!trace.IsOutput)
        {
            double next = _deltaNorm[l + 1];
            Emit(step, l, Quantity.Gain, delta / next);
            Emit(step, l, Quantity.WeightFactor, back / next);
            Emit(step, l, Quantity.ActivationFactor, delta / back);
        }

        if (!double.IsFinite(biasNorm + weightNorm + delta)) _backwardNonFinite = Math.Max(_backwardNonFinite, l);
        // σ of a finite z is finite for every activation here, so z alone tells the forward pass apart.
        if (!zFinite)
        {
            if (!IsFinite(trace.Parameter(ParameterRole.Weight).Values) || !IsFinite(trace.Parameter(ParameterRole.Bias).Values)) _updateNonFinite = Math.Min(_updateNonFinite, l);
            else _forwardNonFinite = Math.Min(_forwardNonFinite, l);
        }
    }

    private void MeasureStatistics(in StepInfo step, in LayerView<T> trace)
    {
        int l = trace.Index;
        // The batch cost takes a logarithm per output: a statistic, not part of the cheap minimal tier.
        if (trace.IsOutput) Emit(step, 0, Quantity.Cost, BatchCost(trace));
        ReadOnlySpan<T> sp = trace.SigmaPrime;
        int n = sp.Length;
        // Saturated: σ' below 1% of its maximum (e.g. 0.0025 for the sigmoid). One pass gives all four numbers.
        var (sum, min, max, saturated) = Numerics.Reductions.Summary(sp, T.CreateTruncating(0.01 * trace.Activation.MaxDerivative));
        Emit(step, l, Quantity.SigmaPrimeMean, sum / n);
        Emit(step, l, Quantity.SigmaPrimeMin, min);
        Emit(step, l, Quantity.SigmaPrimeMax, max);
        Emit(step, l, Quantity.SaturatedFraction, saturated / (double)n);

        // Dead: a unit whose activation is exactly zero for every example of the batch. One pass gives these and the moments.
        ReadOnlySpan<T> a = trace.A;
        var (total, squares, dead) = Numerics.Reductions.ColumnStatistics(a, trace.BatchSize, trace.FanOut);
        Emit(step, l, Quantity.DeadFraction, dead / (double)trace.FanOut);
        double mean = total / a.Length;
        Emit(step, l, Quantity.ActivationMean, mean);
        Emit(step, l, Quantity.ActivationStd, Math.Sqrt(Math.Max(0, squares / a.Length - mean * mean)));
        if (!_deferred) Emit(step, l, Quantity.WeightNorm, Norm(trace.Parameter(ParameterRole.Weight).Values));
    }

    private void MeasureReference(in StepInfo step)
    {
        var ws = _referenceWs!;
        var data = _referenceData!;
        ws.Load(data, 0, data.Count);
        // Batch statistics: the reference set is one large batch, and the running averages stay the trainer's.
        Backprop.Forward(_network, ws, data.Count, null, ForwardMode.Batch);
        Backprop.Backward(_network, ws, data.Count, null, [], step);
        for (int l = 1; l <= _network.Depth; l++)
        {
            Emit(step, l, Quantity.ReferenceBiasGradNorm, Norm(ws.GradientOf(l, ParameterRole.Bias)));
            Emit(step, l, Quantity.ReferenceWeightGradNorm, Norm(ws.GradientOf(l, ParameterRole.Weight)));
        }
    }

    /// <summary>The mini-batch gradient g against the reference gradient r: ‖g − r‖/‖r‖ and cos(g, r), over W and b together.</summary>
    private void MeasureNoise(in StepInfo step, in LayerView<T> trace)
    {
        var ws = _referenceWs!;
        ReadOnlySpan<T> rw = ws.GradientOf(trace.Index, ParameterRole.Weight), rb = ws.GradientOf(trace.Index, ParameterRole.Bias);
        ReadOnlySpan<T> gw = trace.Parameter(ParameterRole.Weight).Gradient, gb = trace.Parameter(ParameterRole.Bias).Gradient;
        double dot = double.CreateTruncating(TensorPrimitives.Dot(gw, rw)) + double.CreateTruncating(TensorPrimitives.Dot(gb, rb));
        double gg = double.CreateTruncating(TensorPrimitives.SumOfSquares(gw)) + double.CreateTruncating(TensorPrimitives.SumOfSquares(gb));
        double rr = double.CreateTruncating(TensorPrimitives.SumOfSquares(rw)) + double.CreateTruncating(TensorPrimitives.SumOfSquares(rb));
        double diff = Math.Sqrt(Math.Max(0, gg - 2 * dot + rr));
        Emit(step, trace.Index, Quantity.NoiseNormRatio, rr > 0 ? diff / Math.Sqrt(rr) : double.NaN);
        Emit(step, trace.Index, Quantity.NoiseCosine, gg > 0 && rr > 0 ? dot / Math.Sqrt(gg * rr) : double.NaN);
    }

    /// <summary>
    /// Singular values of ∂z^L/∂x = W^L D^{L−1} W^{L−1} ⋯ D^1 W^1 (D^l = diag σ'(z^l)) at the first reference
    /// inputs, built from the output side so the cost is n_L·Σ n_l n_{l−1}.
    /// </summary>
    private void MeasureJacobian(in StepInfo step)
    {
        var ws = _referenceWs!;
        int inputs = Math.Min(Options.JacobianInputs, _referenceData!.Count);
        if (!_referenceDue)
        {
            ws.Load(_referenceData, 0, inputs);
            Backprop.Forward(_network, ws, inputs, null, ForwardMode.Batch);
        }
        int outputs = _network.OutputSize;
        var last = _weights[^1];
        for (int x = 0; x < inputs; x++)
        {
            var m = new double[outputs * last.Columns];
            for (int i = 0; i < m.Length; i++) m[i] = double.CreateTruncating(last.Values[i]);
            int width = last.Columns;
            for (int l = _network.Depth - 1; l >= 1; l--)
            {
                var layer = _network.Layer(l);
                var weights = _weights[l - 1].Values;
                var sp = ws.SigmaPrimeOf(l, x);
                var next = new double[outputs * layer.FanIn];
                for (int r = 0; r < outputs; r++)
                    for (int j = 0; j < layer.FanOut; j++)
                    {
                        double c = m[r * width + j] * double.CreateTruncating(sp[j]);
                        if (c == 0) continue;
                        var row = weights.AsSpan(j * layer.FanIn, layer.FanIn);
                        for (int k = 0; k < layer.FanIn; k++) next[r * layer.FanIn + k] += c * double.CreateTruncating(row[k]);
                    }
                m = next;
                width = layer.FanIn;
            }
            var singular = Numerics.LinearAlgebra.SingularValues(m, outputs, width);
            Emit(step, 0, Quantity.JacobianSingularValues, singular[0], singular, x);
        }
    }

    /// <summary>Mean cost of the batch, from the output layer's a^L and targets.</summary>
    private double BatchCost(in LayerView<T> trace)
    {
        if (_costScratch.Length < 2 * trace.A.Length) _costScratch = new T[2 * trace.A.Length];
        return _network.Cost.BatchValue(trace.A, trace.Target, trace.FanOut, _costScratch);
    }

    private static double Norm(ReadOnlySpan<T> x) => Numerics.Reductions.Norm(x);
}
