using System.Numerics;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// Each gate's mean activation and saturated fraction over the batch and every step (LSTM i, f, g, o; GRU r, z, n).
/// The forget gate's mean is how much of the cell state survives a step; saturated: σ' below 1% of its maximum
/// (a(1 − a) &lt; 0.0025 for a sigmoid gate, 1 − a² &lt; 0.01 for a tanh one), where the gate passes no gradient.
/// </summary>
internal sealed class GateStatistics<T> : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _sum = new double[4];
    private readonly long[] _saturated = new long[4];
    private long _count;

    public static string Names(RecurrentCellKind cell) => cell switch
    {
        RecurrentCellKind.Lstm => "ifgo",
        RecurrentCellKind.Gru => "rzn",
        _ => "",
    };

    // Named by the record it is best known for: the forget gate's mean, how much of c survives a step.
    public override string Quantity => Record.Quantity.GateMean('f');

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        string names = Names(layer.Cell);
        if (names.Length == 0) return;
        if (t == layer.TimeSteps)
        {
            Array.Clear(_sum);
            Array.Clear(_saturated);
            _count = 0;
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
        _count += (long)view.BatchSize * h;
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        string names = Names(layer.Cell);
        for (int g = 0; g < names.Length; g++)
        {
            context.EmitThroughTime(layer.Index, Record.Quantity.GateMean(names[g]), _sum[g] / _count);
            context.EmitThroughTime(layer.Index, Record.Quantity.GateSaturation(names[g]), _saturated[g] / (double)_count);
        }
    }
}
