using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Training;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// Reads ∂C/∂w of a fixed, seeded sample of weights per layer at the network's current weights, for any subset of
/// the reference examples, without updating anything: its own workspace, a forward and a backward pass.
/// </summary>
internal sealed class GradientMagnitudesMeter
{
    private readonly Network<double> _net;
    private readonly Dataset<double> _reference;
    private readonly Workspace<double> _ws;
    private readonly Parameter<double>[] _weights;
    private readonly int[] _all;

    public GradientMagnitudesMeter(Network<double> net, Dataset<double> reference, int perLayer, Rng rng)
    {
        _net = net;
        _reference = reference;
        _ws = new Workspace<double>(net, reference.Count);
        _all = [.. Enumerable.Range(0, reference.Count)];
        _weights = [.. Enumerable.Range(1, net.Depth).Select(l => net.Find(l, ParameterRole.Weight)!)];
        Sampled = [.. _weights.Select(w => Sample(w, perLayer, rng))];
    }

    /// <summary>Indices of the sampled weights of layer l (at [l − 1]).</summary>
    public int[][] Sampled { get; }

    public int Layers => _weights.Length;

    /// <summary>
    /// Weights of the first layer whose input pixel is zero in every reference example have ∂C/∂w ≡ 0: no magnitude
    /// to speak of, so they are not sampled (the digits' borders would otherwise put −∞ into the logs).
    /// </summary>
    private int[] Sample(Parameter<double> w, int count, Rng rng)
    {
        int fanIn = w.Columns;
        var live = new bool[fanIn];
        if (w.Layer == 1)
            for (int i = 0; i < _reference.Count; i++)
            {
                var x = _reference.Input(i);
                for (int k = 0; k < fanIn; k++) live[k] |= x[k] != 0;
            }
        else Array.Fill(live, true);
        int[] eligible = [.. Enumerable.Range(0, w.Length).Where(i => live[i % fanIn])];
        rng.Shuffle(eligible);
        int[] chosen = eligible[..Math.Min(count, eligible.Length)];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>∂C/∂w of the sampled weights, mean over the given reference examples (all of them when null).</summary>
    public double[][] Gradient(int[]? examples = null)
    {
        examples ??= _all;
        _ws.Load(_reference, examples);
        Backprop.Forward(_net, _ws, examples.Length, null, ForwardMode.Training);
        Backprop.Backward(_net, _ws, examples.Length, null, [], new StepInfo(0, 0, examples.Length, double.NaN));
        return Read(l => _ws.GradientOf(_weights[l]));
    }

    /// <summary>The sampled weights' current values.</summary>
    public double[][] Values() => Read(l => _weights[l].Values);

    private double[][] Read(Func<int, ReadOnlySpan<double>> source)
    {
        var result = new double[_weights.Length][];
        for (int l = 0; l < result.Length; l++)
        {
            var all = source(l);
            var picked = new double[Sampled[l].Length];
            for (int w = 0; w < picked.Length; w++) picked[w] = all[Sampled[l][w]];
            result[l] = picked;
        }
        return result;
    }
}
