using Gradscope.Data;
using Gradscope.Experiments.Reproductions;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Numerics;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Recurrent;

/// <summary>Each probe through time against a slow naive twin (finite differences through a loop-written forward pass).</summary>
public sealed class TimeProbeTwinTests
{
    private const int Steps = 6, Count = 3, Hidden = 4, Inputs = 2;

    private static (Network<double> Network, Dataset<double> Data, List<MetricRecord> Records) Measure(string cell, string init = "default")
    {
        var spec = RecurrentGradientTests.Spec(cell, "tanh", "quadratic", 1, Inputs, Hidden, 1, Steps, init);
        var network = Network<double>.Create(spec, seed: 13);
        foreach (var p in network.Parameters)
            for (int i = 0; i < p.Values.Length; i++) p.Values[i] *= 2;
        var data = TestNets.RandomData(Count, Steps * Inputs, 1, oneHot: false, seed: 6);
        var sink = new MemorySink();
        var probes = new ProbeSet<double>(network, SequenceTraining.ThroughTimeOnly, sink);
        var ws = new Workspace<double>(network, Count);
        ws.Load(data, 0, Count);
        Backprop.Forward(network, ws, Count);
        var step = new StepInfo(0, 0, Count, double.NaN);
        probes.OnStepStarting(step);
        Backprop.Backward(network, ws, Count, null, [probes], step);
        probes.OnStepCompleted(step, network);
        return (network, data, [.. sink.Records]);
    }

    private static double Value(List<MetricRecord> records, string quantity, int? t = null) =>
        records.Single(r => r.Quantity == quantity && r.T == t).Value;

    /// <summary>√(Σ_x ‖∂C_x/∂h_t‖²/m) from the naive twin.</summary>
    private static double NaiveRms(NaiveRecurrent naive, Dataset<double> data, int t, bool cell)
    {
        double squares = 0;
        for (int x = 0; x < Count; x++)
            foreach (double g in naive.Gradient(data.Input(x), data.Target(x), t, cell)) squares += g * g;
        return Math.Sqrt(squares / Count);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void TimeGradNorm_EveryStep_MatchesFiniteDifferencesOfNaiveForward(string cell)
    {
        var (network, data, records) = Measure(cell);
        var naive = new NaiveRecurrent(network);
        var expected = new double[Steps + 1];
        for (int t = 1; t <= Steps; t++)
        {
            expected[t] = NaiveRms(naive, data, t, cell: false);
            Assert.Equal(expected[t], Value(records, Quantity.TimeGradNorm, t), 6);
        }
        Assert.Equal(expected[1] / expected[Steps], Value(records, Quantity.TimeGradRatio), 5);
        for (int t = 2; t <= Steps; t++) Assert.Equal(expected[t - 1] / expected[t], Value(records, Quantity.TimeGain, t), 5);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void TimeFactors_EveryStep_MatchFiniteDifferencesOfNaiveForward(string cell)
    {
        // ∂C/∂g_t by nudging the naive forward's recurrent pre-activation, and its product with W_hh in loops.
        var (network, data, records) = Measure(cell);
        var naive = new NaiveRecurrent(network);
        var w = ((RecurrentLayer<double>)network.Layer(1)).RecurrentWeights.Values;
        int gh = w.Length / Hidden;
        for (int t = 2; t <= Steps; t++)
        {
            double gateSquares = 0, backSquares = 0;
            for (int x = 0; x < Count; x++)
            {
                var dg = naive.GateGradient(data.Input(x), data.Target(x), t);
                foreach (double g in dg) gateSquares += g * g;
                for (int k = 0; k < Hidden; k++)
                {
                    double back = 0;
                    for (int r = 0; r < gh; r++) back += dg[r] * w[r * Hidden + k];
                    backSquares += back * back;
                }
            }
            double gate = Math.Sqrt(gateSquares / Count), hidden = NaiveRms(naive, data, t, cell: false);
            Assert.Equal(Math.Sqrt(backSquares / Count) / gate, Value(records, Quantity.TimeWeightFactor, t), 5);
            Assert.Equal(gate / hidden, Value(records, Quantity.TimeActivationFactor, t), 5);
        }
        Assert.DoesNotContain(records, r => r.Quantity is Quantity.TimeWeightFactor or Quantity.TimeActivationFactor && r.T is not (>= 2 and <= Steps));
    }

    [Fact]
    public void CellGradNorm_Lstm_MatchesFiniteDifferencesOfNaiveForward()
    {
        var (network, data, records) = Measure("lstm");
        var naive = new NaiveRecurrent(network);
        for (int t = 1; t <= Steps; t++) Assert.Equal(NaiveRms(naive, data, t, cell: true), Value(records, Quantity.TimeCellGradNorm, t), 6);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    public void TimeGain_OutputAtLastStepOnly_IsWeightFactorTimesActivationFactor(string cell)
    {
        // Not true by construction: the gain divides two ‖∂C/∂h‖ of the backward pass, the factors go through a
        // separate product (∂C/∂g_t) W_hh. They agree because h_{t−1} reaches the cost through W_hh alone.
        var (_, _, records) = Measure(cell);
        for (int t = 2; t <= Steps; t++)
            Assert.Equal(Value(records, Quantity.TimeGain, t),
                Value(records, Quantity.TimeWeightFactor, t) * Value(records, Quantity.TimeActivationFactor, t), 10);
    }

    [Theory]
    [InlineData("lstm", "ifgo")]
    [InlineData("gru", "rzn")]
    public void GateStatistics_MeansAndSaturation_MatchNaiveForward(string cell, string gates)
    {
        var (network, data, records) = Measure(cell);
        var naive = new NaiveRecurrent(network);
        var all = new List<double[]>();
        for (int x = 0; x < Count; x++) naive.Cost(data.Input(x), data.Target(x), gatesOut: all);
        for (int g = 0; g < gates.Length; g++)
        {
            var values = all.SelectMany(v => v.Skip(g * Hidden).Take(Hidden)).ToList();
            bool tanh = gates[g] is 'g' or 'n';
            Assert.Equal(values.Average(), Value(records, Quantity.GateMean(gates[g])), 12);
            Assert.Equal(values.Count(a => tanh ? 1 - a * a < 0.01 : a * (1 - a) < 0.0025) / (double)values.Count,
                Value(records, Quantity.GateSaturation(gates[g])), 12);
        }
    }

    [Fact]
    public void RecurrentSpectrum_Rnn_MatchesSingularValuesAndNaivePowers()
    {
        var (network, _, records) = Measure("rnn");
        var w = ((RecurrentLayer<double>)network.Layer(1)).RecurrentWeights.Values;
        Assert.Equal(LinearAlgebra.SingularValues(w, Hidden, Hidden)[0], Value(records, Quantity.RecurrentSpectralNorm), 8);
        Assert.Equal(NaiveRadius(w, Hidden), Value(records, Quantity.RecurrentSpectralRadius), 3);
    }

    [Theory]
    [InlineData("rnn", "tanh")]
    [InlineData("rnn", "relu")]
    [InlineData("lstm", "tanh")]
    public void RecurrentBound_EachCell_IsOneOverLargestDerivativeOfTheActivation(string cell, string nonlinearity)
    {
        // γ = max |σ'| by central differences of σ on a grid over [−6, 6] (away from ReLU's kink at 0).
        var spec = RecurrentGradientTests.Spec(cell, nonlinearity, "quadratic", 1, Inputs, Hidden, 1, Steps);
        var network = Network<double>.Create(spec, seed: 13);
        var sink = new MemorySink();
        var probes = new ProbeSet<double>(network, SequenceTraining.ThroughTimeOnly, sink);
        using var trainer = new Trainer<double>(network, new TrainingOptions { BatchSize = Count });
        using (trainer.Attach(probes)) trainer.TrainBatch(TestNets.RandomData(Count, Steps * Inputs, 1, oneHot: false, seed: 6), [0, 1, 2]);
        var sigma = ((RecurrentLayer<double>)network.Layer(1)).Activation;
        double gamma = 0;
        for (int i = -6000; i <= 6000; i++)
        {
            double z = i / 1000.0 + 0.0005;
            gamma = Math.Max(gamma, Math.Abs(sigma.Invoke(z + 1e-6) - sigma.Invoke(z - 1e-6)) / 2e-6);
        }
        Assert.Equal(1 / gamma, Value(sink.Records.ToList(), Quantity.RecurrentBound), 5);
    }

    [Fact]
    public void SpectralRadius_KnownMatrices_GivesLargestEigenvalueModulus()
    {
        // A rotation by 0.3 rad scaled by 0.9 (eigenvalues 0.9e^{±0.3i}, which power iteration cannot find) and a Jordan block.
        double c = 0.9 * Math.Cos(0.3), s = 0.9 * Math.Sin(0.3);
        Assert.Equal(0.9, SpectralRadius.Of([c, -s, 0, s, c, 0, 0, 0, 0.5], 3), 9);
        Assert.Equal(0.7, SpectralRadius.Of([0.7, 1, 0, 0.7], 2), 6);
        Assert.Equal(0.0, SpectralRadius.Of([0, 1, 0, 0], 2));
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    public void RecurrentInit_Radius_ScalesEveryBlockToTheRadius(string cell)
    {
        var spec = RecurrentGradientTests.Spec(cell, "tanh", "quadratic", 1, hidden: 8, init: "radius:0.95");
        var layer = (RecurrentLayer<double>)Network<double>.Create(spec, seed: 3).Layer(1);
        for (int g = 0; g < (int)layer.Cell; g++)
            Assert.Equal(0.95, NaiveRadius(layer.RecurrentWeights.Values.AsSpan(g * 64, 64).ToArray(), 8), 2);
    }

    [Fact]
    public void RecurrentInit_IdentityAndOrthogonal_GiveIdentityAndOrthogonalBlocks()
    {
        var identity = (RecurrentLayer<double>)Network<double>.Create(RecurrentGradientTests.Spec("lstm", "tanh", "quadratic", 1, init: "identity", forgetBias: 1), seed: 3).Layer(1);
        var orthogonal = (RecurrentLayer<double>)Network<double>.Create(RecurrentGradientTests.Spec("gru", "tanh", "quadratic", 1, init: "orthogonal"), seed: 3).Layer(1);
        int h = Hidden;
        for (int g = 0; g < 4; g++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < h; j++)
                    Assert.Equal(i == j ? 1.0 : 0.0, identity.RecurrentWeights.Values[g * h * h + i * h + j]);
        for (int j = 0; j < h; j++)
        {
            Assert.Equal(1.0, identity.InputBiases.Values[h + j]);
            Assert.Equal(0.0, identity.RecurrentBiases.Values[h + j]);
        }
        for (int g = 0; g < 3; g++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < h; j++)
                {
                    double dot = 0;
                    for (int k = 0; k < h; k++) dot += orthogonal.RecurrentWeights.Values[g * h * h + i * h + k] * orthogonal.RecurrentWeights.Values[g * h * h + j * h + k];
                    Assert.Equal(i == j ? 1.0 : 0.0, dot, 10);
                }
    }

    /// <summary>ρ = ‖W^k‖^{1/k} by k = 4000 plain multiplications (not squarings), renormalised as it goes.</summary>
    private static double NaiveRadius(double[] w, int n)
    {
        var p = (double[])w.Clone();
        double log = 0;
        const int k = 4000;
        for (int step = 1; step < k; step++)
        {
            var q = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int l = 0; l < n; l++) q[i * n + j] += p[i * n + l] * w[l * n + j];
            double norm = Math.Sqrt(q.Sum(v => v * v));
            for (int i = 0; i < q.Length; i++) q[i] /= norm;
            log += Math.Log(norm);
            p = q;
        }
        return Math.Exp(log / k);
    }
}
