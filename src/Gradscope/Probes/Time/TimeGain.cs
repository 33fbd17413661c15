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
/// a GRU adds its direct path z ⊙ ∂C/∂h_t, and outputs at every step add their own gradient.
/// </summary>
internal sealed class TimeGain<T> : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TimeGradNorm<T> _norms;
    private readonly double[] _weightFactor, _activationFactor;
    private T[] _back = [];

    public TimeGain(TimeGradNorm<T> norms, int steps)
    {
        _norms = norms;
        _weightFactor = new double[steps + 1];
        _activationFactor = new double[steps + 1];
    }

    public override void Measure(TimeRecords records, in LayerView<T> view, int t)
    {
        var layer = (RecurrentLayer<T>)view.Layer;
        int m = view.BatchSize, h = layer.FanOut, gh = layer.GateWidth;
        if (_back.Length < m * h) _back = new T[m * h];
        ReadOnlySpan<T> dg = view.Tensor(LayerTensor.GateDelta);
        Span<T> back = _back.AsSpan(0, m * h);
        // (∂C/∂g_t) W_hh: what the recurrent weights carry back to h_{t−1}, one row per example.
        Gemm.Multiply(false, false, m, h, gh, T.One, dg, gh, view.Parameter(ParameterRole.Recurrent).Values, h, T.Zero, back, h);
        double gate = Rms(dg, m);
        _weightFactor[t] = Rms(back, m) / gate;
        _activationFactor[t] = gate / Rms(view.ActivationGradient, m);
    }

    public override void Finish(TimeRecords records, RecurrentLayer<T> layer, in LayerView<T> view)
    {
        var norms = _norms.Norms;
        for (int t = 2; t <= layer.TimeSteps; t++)
        {
            records.Emit(layer.Index, Record.Quantity.TimeGain, t, norms[t - 1] / norms[t]);
            records.Emit(layer.Index, Record.Quantity.TimeWeightFactor, t, _weightFactor[t]);
            records.Emit(layer.Index, Record.Quantity.TimeActivationFactor, t, _activationFactor[t]);
        }
    }
}
