using Gradscope.Model;
using Gradscope.Model.Layers;

namespace Gradscope.Tests.Recurrent;

/// <summary>
/// A slow, independent float64 forward pass of a one-layer recurrent net with a linear read-out of h_τ and the
/// quadratic cost, written from PyTorch's equations in plain loops. A nudge can be added to h_t, c_t or the gates'
/// recurrent pre-activation g_t = W_hh h_{t−1} + b_hh of one example, so finite differences give ∂C_x/∂h_t,
/// ∂C_x/∂c_t and ∂C_x/∂g_t for the probes' twins.
/// </summary>
internal sealed class NaiveRecurrent(Network<double> network)
{
    private readonly RecurrentLayer<double> _layer = (RecurrentLayer<double>)network.Layer(1);
    private readonly Model.Layers.DenseLayer<double> _head = (Model.Layers.DenseLayer<double>)network.Layer(2);

    public sealed record Nudge(int Time, int Unit, double Amount, bool Cell, bool Gate = false);

    /// <summary>C_x = ½‖W h_τ + b − y‖², and every step's gate activations [τ][G·H] when asked.</summary>
    public double Cost(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Nudge? nudge = null, List<double[]>? gatesOut = null)
    {
        int n = _layer.FanIn, h = _layer.FanOut, steps = _layer.TimeSteps, gh = _layer.GateWidth;
        var wi = _layer.InputWeights.Values; var wh = _layer.RecurrentWeights.Values;
        var bi = _layer.InputBiases.Values; var bh = _layer.RecurrentBiases.Values;
        var hidden = new double[h];
        var cell = new double[h];
        for (int t = 1; t <= steps; t++)
        {
            var gx = new double[gh];
            var gr = new double[gh];
            for (int r = 0; r < gh; r++)
            {
                gx[r] = bi[r];
                for (int k = 0; k < n; k++) gx[r] += wi[r * n + k] * x[(t - 1) * n + k];
                gr[r] = bh[r];
                for (int k = 0; k < h; k++) gr[r] += wh[r * h + k] * hidden[k];
            }
            if (nudge is { Gate: true } q && q.Time == t) gr[q.Unit] += q.Amount;
            var next = new double[h];
            var gates = new double[gh];
            for (int j = 0; j < h; j++)
            {
                switch (_layer.Cell)
                {
                    case RecurrentCellKind.Rnn:
                        next[j] = _layer.Activation.Invoke(gx[j] + gr[j]);
                        break;
                    case RecurrentCellKind.Lstm:
                        double i = S(gx[j] + gr[j]), f = S(gx[h + j] + gr[h + j]), g = Math.Tanh(gx[2 * h + j] + gr[2 * h + j]), o = S(gx[3 * h + j] + gr[3 * h + j]);
                        (gates[j], gates[h + j], gates[2 * h + j], gates[3 * h + j]) = (i, f, g, o);
                        cell[j] = f * cell[j] + i * g;
                        if (nudge is { Cell: true, Gate: false } c && c.Time == t && c.Unit == j) cell[j] += c.Amount;
                        next[j] = o * Math.Tanh(cell[j]);
                        break;
                    default:
                        double rr = S(gx[j] + gr[j]), z = S(gx[h + j] + gr[h + j]), nn = Math.Tanh(gx[2 * h + j] + rr * gr[2 * h + j]);
                        (gates[j], gates[h + j], gates[2 * h + j]) = (rr, z, nn);
                        next[j] = (1 - z) * nn + z * hidden[j];
                        break;
                }
            }
            if (nudge is { Cell: false, Gate: false } d && d.Time == t) next[d.Unit] += d.Amount;
            hidden = next;
            gatesOut?.Add(gates);
        }
        double cost = 0;
        for (int o = 0; o < _head.FanOut; o++)
        {
            double a = _head.Biases.Values[o];
            for (int k = 0; k < h; k++) a += _head.Weights.Values[o * h + k] * hidden[k];
            cost += 0.5 * (a - y[o]) * (a - y[o]);
        }
        return cost;
    }

    /// <summary>∂C_x/∂h_t (or ∂C_x/∂c_t) by central differences.</summary>
    public double[] Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int t, bool cell)
    {
        const double e = 1e-6;
        var g = new double[_layer.FanOut];
        for (int j = 0; j < g.Length; j++)
            g[j] = (Cost(x, y, new Nudge(t, j, e, cell)) - Cost(x, y, new Nudge(t, j, -e, cell))) / (2 * e);
        return g;
    }

    /// <summary>∂C_x/∂g_t, g_t = W_hh h_{t−1} + b_hh (all G·H gate rows), by central differences.</summary>
    public double[] GateGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int t)
    {
        const double e = 1e-6;
        var g = new double[_layer.GateWidth];
        for (int r = 0; r < g.Length; r++)
            g[r] = (Cost(x, y, new Nudge(t, r, e, false, Gate: true)) - Cost(x, y, new Nudge(t, r, -e, false, Gate: true))) / (2 * e);
        return g;
    }

    private static double S(double v) => 1 / (1 + Math.Exp(-v));
}
