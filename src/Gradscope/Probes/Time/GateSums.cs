using System.Numerics;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// Each gate's sum of activations and count of saturated ones over the batch and every step of the layer being
/// measured (LSTM i, f, g, o; GRU r, z, n): one pass over a step's gates, by whichever gate probe asks first.
/// Saturated: σ' below 1% of its maximum (a(1 − a) &lt; 0.0025 for a sigmoid gate, 1 − a² &lt; 0.01 for a tanh
/// one), where the gate passes no gradient.
/// </summary>
internal sealed class GateSums<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _sum = new double[4];
    private readonly long[] _saturated = new long[4];
    private long _view = -1;

    /// <summary>The gates' names, in their order in the layer's gate blocks; empty for a plain RNN.</summary>
    public static string Names(RecurrentCellKind cell) => cell switch
    {
        RecurrentCellKind.Lstm => "ifgo",
        RecurrentCellKind.Gru => "rzn",
        _ => "",
    };

    /// <summary>Activations summed per gate over the steps seen so far (t = τ … the step last added).</summary>
    public long Count { get; private set; }

    public double Sum(int gate) => _sum[gate];

    public long Saturated(int gate) => _saturated[gate];

    /// <summary>Adds step t of a gated layer, once per step view; t = τ, the first step backprop sees, starts afresh.</summary>
    public void Add(ProbeContext<T> context, in LayerView<T> view, RecurrentLayer<T> layer, int t)
    {
        if (_view == context.ViewSerial) return;
        _view = context.ViewSerial;
        string names = Names(layer.Cell);
        if (t == layer.TimeSteps)
        {
            Array.Clear(_sum);
            Array.Clear(_saturated);
            Count = 0;
        }
        int h = layer.FanOut, gh = layer.GateWidth;
        ReadOnlySpan<T> gates = view.Tensor(LayerTensor.Gates);
        for (int r = 0; r < view.BatchSize; r++)
            for (int g = 0; g < names.Length; g++)
            {
                bool tanh = names[g] is 'g' or 'n';
                var block = gates.Slice(r * gh + g * h, h);
                double sum = 0;
                long saturated = 0;
                foreach (var value in block)
                {
                    double a = double.CreateTruncating(value);
                    sum += a;
                    if (tanh ? 1 - a * a < 0.01 : a * (1 - a) < 0.0025) saturated++;
                }
                _sum[g] += sum;
                _saturated[g] += saturated;
            }
        Count += (long)view.BatchSize * h;
    }
}
