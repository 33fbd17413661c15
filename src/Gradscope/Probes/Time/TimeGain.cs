using System.Numerics;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// The per-step gain ‖∂C/∂h_{t−1}‖/‖∂C/∂h_t‖, recorded at t = 2…τ, split as for layers into a recurrent-weight factor
/// ‖W_hhᵀ ∂C/∂g_t‖/‖∂C/∂g_t‖ and an activation factor ‖∂C/∂g_t‖/‖∂C/∂h_t‖, where g_t = W_hh h_{t−1} + b_hh (δ_t for
/// a plain RNN). With the output at τ alone and a plain RNN or LSTM, gain = weight factor × activation factor exactly;
/// a GRU adds its direct path z ⊙ ∂C/∂h_t, and outputs at every step add their own gradient. The three are written
/// step by step together, from one pass.
/// </summary>
internal sealed class TimeGain<T>(TimeGradNorm<T> norms) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double[] _weightFactor = [], _activationFactor = [];
    private T[] _back = [];

    public override string Quantity => Record.Quantity.TimeGain;

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        int m = view.BatchSize, h = layer.FanOut, gh = layer.GateWidth;
        if (_back.Length < m * h) _back = new T[m * h];
        if (_weightFactor.Length <= layer.TimeSteps) (_weightFactor, _activationFactor) = (new double[layer.TimeSteps + 1], new double[layer.TimeSteps + 1]);
        ReadOnlySpan<T> dg = view.Tensor(LayerTensor.GateDelta);
        Span<T> back = _back.AsSpan(0, m * h);
        // (∂C/∂g_t) W_hh: what the recurrent weights carry back to h_{t−1}, one row per example.
        Gemm.Multiply(false, false, m, h, gh, T.One, dg, gh, view.Parameter(ParameterRole.Recurrent).Values, h, T.Zero, back, h);
        double gate = Rms(dg, m);
        _weightFactor[t] = Rms(back, m) / gate;
        _activationFactor[t] = gate / Rms(view.ActivationGradient, m);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        var h = norms.Norms;
        for (int t = 2; t <= layer.TimeSteps; t++)
        {
            context.EmitThroughTime(layer.Index, Record.Quantity.TimeGain, h[t - 1] / h[t], t);
            context.EmitThroughTime(layer.Index, Record.Quantity.TimeWeightFactor, _weightFactor[t], t);
            context.EmitThroughTime(layer.Index, Record.Quantity.TimeActivationFactor, _activationFactor[t], t);
        }
    }
}
