using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Observation;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Probes;

/// <summary>Every probe against a naive twin computed from copies of the traces with plain loops.</summary>
public sealed class ProbeTwinTests
{
    private sealed record LayerCopy(int Layer, int Batch, int FanIn, int FanOut, bool IsOutput, double[] A, double[] Sp,
        double[] Delta, double[] Back, double[] GradW, double[] GradB, double[] W, double MaxSp);

    private sealed class Recorder : ITrainingObserver<double>
    {
        public Dictionary<(long, int), LayerCopy> Layers { get; } = [];
        public Dictionary<(long, int), double[]> WeightsBefore { get; } = [];
        public Dictionary<(long, int), double[]> WeightsAfter { get; } = [];
        private readonly Network<double> _network;

        public Recorder(Network<double> network) => _network = network;

        public void OnStepStarting(in StepInfo step)
        {
            foreach (var layer in _network.Layers) WeightsBefore[(step.Step, layer.Index)] = [.. layer.Weights];
        }

        public void OnLayer(in StepInfo step, in LayerView<double> t) =>
            Layers[(step.Step, t.Index)] = new LayerCopy(t.Index, t.BatchSize, t.FanIn, t.FanOut, t.IsOutput, t.A.ToArray(),
                t.SigmaPrime.ToArray(), t.Delta.ToArray(), t.ActivationGradient.ToArray(), t.Parameter(ParameterRole.Weight).Gradient.ToArray(),
                t.Parameter(ParameterRole.Bias).Gradient.ToArray(), t.Parameter(ParameterRole.Weight).Values.ToArray(), t.Activation.MaxDerivative);

        public void OnStepCompleted(in StepInfo step, Network<double> network)
        {
            foreach (var layer in network.Layers) WeightsAfter[(step.Step, layer.Index)] = [.. layer.Weights];
        }
    }

    private static double Norm(IEnumerable<double> x) => Math.Sqrt(x.Sum(v => v * v));

    // Root-mean-square over the examples of each example's norm.
    private static double MeanRowNorm(double[] m, int rows, int width) =>
        Math.Sqrt(Enumerable.Range(0, rows).Average(r => Math.Pow(Norm(m.Skip(r * width).Take(width)), 2)));

    private static (MemorySink Sink, Recorder Recorder, Network<double> Network, ProbeSet<double> Probes) Run(string activation, double biasShift = 0)
    {
        var spec = new NetworkSpec { Layers = [6, 5, 4, 3], Activation = activation, Cost = "log-likelihood", Init = "glorot-normal" };
        var network = Network<double>.Create(spec, seed: 3);
        foreach (var layer in network.Layers) for (int j = 0; j < layer.Biases.Length; j++) layer.Biases[j] += biasShift;
        var data = TestNets.RandomData(40, 6, 3, oneHot: true, seed: 5);
        var options = new ProbeOptions
        {
            Statistics = "every:1", UpdateRatio = "every:1", Reference = "every:1", Histograms = "every:1",
            Spectral = "every:1", Jacobian = "every:2", ReferenceSize = 20, JacobianInputs = 2,
        };
        var sink = new MemorySink();
        var recorder = new Recorder(network);
        using var trainer = new Trainer<double>(network, new TrainingOptions { Eta = 0.5, BatchSize = 8, Seed = 2 });
        var probes = new ProbeSet<double>(network, options, sink, data);
        using (trainer.Attach(recorder))
        using (trainer.Attach(probes))
            trainer.TrainEpoch(data);
        return (sink, recorder, network, probes);
    }

    private static double Value(MemorySink sink, long step, int layer, string quantity) =>
        sink.Records.Single(r => r.Step == step && r.Layer == layer && r.Quantity == quantity).Value;

    [Fact]
    public void Norms_EveryStepAndLayer_MatchNaiveTwin()
    {
        var (sink, rec, _, _) = Run("sigmoid");
        foreach (var ((step, l), c) in rec.Layers)
        {
            Assert.Equal(Norm(c.GradB), Value(sink, step, l, Quantity.BiasGradNorm), 1e-12);
            Assert.Equal(Norm(c.GradW), Value(sink, step, l, Quantity.WeightGradNorm), 1e-12);
            Assert.Equal(MeanRowNorm(c.Delta, c.Batch, c.FanOut), Value(sink, step, l, Quantity.DeltaNorm), 1e-12);
            if (c.IsOutput) continue;
            var next = rec.Layers[(step, l + 1)];
            double nextNorm = MeanRowNorm(next.Delta, next.Batch, next.FanOut);
            double back = MeanRowNorm(c.Back, c.Batch, c.FanOut);
            Assert.Equal(MeanRowNorm(c.Delta, c.Batch, c.FanOut) / nextNorm, Value(sink, step, l, Quantity.Gain), 1e-12);
            Assert.Equal(back / nextNorm, Value(sink, step, l, Quantity.WeightFactor), 1e-12);
            Assert.Equal(MeanRowNorm(c.Delta, c.Batch, c.FanOut) / back, Value(sink, step, l, Quantity.ActivationFactor), 1e-12);
        }
    }

    [Fact]
    public void Gains_ProductOverLayers_ReproducesFirstToLastRatio()
    {
        var (sink, _, network, _) = Run("tanh");
        int depth = network.Depth;
        for (long step = 0; step < 5; step++)
        {
            double product = 1;
            for (int l = 1; l < depth; l++)
            {
                double wf = Value(sink, step, l, Quantity.WeightFactor), af = Value(sink, step, l, Quantity.ActivationFactor);
                Assert.Equal(Value(sink, step, l, Quantity.Gain), wf * af, 1e-12);
                product *= wf * af;
            }
            double ratio = Value(sink, step, 1, Quantity.DeltaNorm) / Value(sink, step, depth, Quantity.DeltaNorm);
            Assert.Equal(ratio, product, 1e-12 * ratio);
        }
    }

    [Fact]
    public void Statistics_EveryStepAndLayer_MatchNaiveTwin()
    {
        var (sink, rec, _, _) = Run("relu", biasShift: -0.6);
        bool sawDead = false;
        foreach (var ((step, l), c) in rec.Layers)
        {
            Assert.Equal(c.Sp.Average(), Value(sink, step, l, Quantity.SigmaPrimeMean), 1e-12);
            Assert.Equal(c.Sp.Min(), Value(sink, step, l, Quantity.SigmaPrimeMin), 1e-12);
            Assert.Equal(c.Sp.Max(), Value(sink, step, l, Quantity.SigmaPrimeMax), 1e-12);
            Assert.Equal(c.Sp.Count(v => v < 0.01 * c.MaxSp) / (double)c.Sp.Length, Value(sink, step, l, Quantity.SaturatedFraction), 1e-12);
            // Dead: silent on every one of the last W = 20 (the reference set) examples measured, over as many steps as that takes.
            var examples = rec.Layers.Where(x => x.Key.Item2 == l && x.Key.Item1 <= step).OrderBy(x => x.Key.Item1)
                .SelectMany(x => Enumerable.Range(0, x.Value.Batch).Select(r => x.Value.A.Skip(r * x.Value.FanOut).Take(x.Value.FanOut).ToArray())).ToList();
            var deadRecord = sink.Records.Where(r => r.Step == step && r.Layer == l && r.Quantity == Quantity.DeadFraction).ToList();
            if (examples.Count < 20)
            {
                Assert.Empty(deadRecord);
            }
            else
            {
                int dead = Enumerable.Range(0, c.FanOut).Count(j => examples.Skip(examples.Count - 20).All(a => a[j] == 0));
                sawDead |= dead > 0 && l < 3;
                Assert.Equal(dead / (double)c.FanOut, Assert.Single(deadRecord).Value, 1e-12);
            }
            double mean = c.A.Average();
            Assert.Equal(mean, Value(sink, step, l, Quantity.ActivationMean), 1e-12);
            Assert.Equal(Math.Sqrt(c.A.Average(v => (v - mean) * (v - mean))), Value(sink, step, l, Quantity.ActivationStd), 1e-9);
            Assert.Equal(Norm(c.W), Value(sink, step, l, Quantity.WeightNorm), 1e-12);
            var before = rec.WeightsBefore[(step, l)];
            var after = rec.WeightsAfter[(step, l)];
            double change = Norm(before.Zip(after, (x, y) => x - y));
            Assert.Equal(change / Norm(before), Value(sink, step, l, Quantity.UpdateRatio), 1e-12);
            var svd = LinearAlgebra.SingularValues(before, c.FanOut, c.FanIn);
            Assert.Equal(svd[0], Value(sink, step, l, Quantity.SpectralNorm), 1e-6);
            var hist = sink.Records.Single(r => r.Step == step && r.Layer == l && r.Quantity == Quantity.WeightGradHistogram).Values!;
            Assert.Equal(c.GradW.Length, hist.Sum());
            for (int b = 0; b < Histogram.Count; b++)
                Assert.Equal(c.GradW.Count(g => Histogram.BinOf(g) == b), hist[b]);
        }
        Assert.True(sawDead, "the shifted ReLU net should have dead units");
    }

    [Fact]
    public void Noise_MiniBatchAgainstReference_MatchesNaiveTwin()
    {
        var (sink, rec, network, _) = Run("sigmoid");
        var data = TestNets.RandomData(40, 6, 3, oneHot: true, seed: 5).Take(20);
        // Reference gradient at step 0 from the initial weights, recomputed naively with a fresh copy of the net.
        var fresh = Network<double>.Create(network.Spec, seed: 3);
        var ws = TestNets.Gradients(fresh, data);
        for (int l = 1; l <= network.Depth; l++)
        {
            var c = rec.Layers[(0L, l)];
            double[] g = [.. c.GradW, .. c.GradB];
            double[] r = [.. ws.WeightGradientOf(l).ToArray(), .. ws.BiasGradientOf(l).ToArray()];
            double dot = g.Zip(r, (x, y) => x * y).Sum();
            Assert.Equal(dot / (Norm(g) * Norm(r)), Value(sink, 0, l, Quantity.NoiseCosine), 1e-9);
            Assert.Equal(Norm(g.Zip(r, (x, y) => x - y)) / Norm(r), Value(sink, 0, l, Quantity.NoiseNormRatio), 1e-9);
            Assert.Equal(Norm(ws.BiasGradientOf(l).ToArray()), Value(sink, 0, l, Quantity.ReferenceBiasGradNorm), 1e-12);
        }
    }

    [Fact]
    public void Jacobian_SingularValues_MatchFiniteDifferenceJacobian()
    {
        var spec = new NetworkSpec { Layers = [6, 5, 4, 3], Activation = "tanh", Cost = "quadratic", Init = "glorot-normal" };
        var network = Network<double>.Create(spec, seed: 3);
        var data = TestNets.RandomData(10, 6, 3, oneHot: false, seed: 5);
        var sink = new MemorySink();
        var probes = new ProbeSet<double>(network, new ProbeOptions { Jacobian = "every:1", JacobianInputs = 1 }, sink, data);
        using var trainer = new Trainer<double>(network, new TrainingOptions { BatchSize = 10 });
        var before = network.Clone();
        using (trainer.Attach(probes)) trainer.TrainBatch(data, [0, 1, 2]);
        var measured = sink.Of(Quantity.JacobianSingularValues).Single().Values!;

        // Naive: central differences of z^L with respect to each input coordinate, at the weights before the step.
        var j = new double[3 * 6];
        var ws = new Workspace<double>(before, 1);
        double[] ZL(double[] x)
        {
            x.CopyTo(ws.Input, 0);
            Backprop.Forward(before, ws, 1);
            return ws.Layers[^1].Z[..3];
        }
        var x0 = data.Input(0).ToArray();
        for (int k = 0; k < 6; k++)
        {
            var plus = (double[])x0.Clone();
            var minus = (double[])x0.Clone();
            plus[k] += 1e-6;
            minus[k] -= 1e-6;
            var zp = ZL(plus);
            var zm = ZL(minus);
            for (int r = 0; r < 3; r++) j[r * 6 + k] = (zp[r] - zm[r]) / 2e-6;
        }
        var expected = LinearAlgebra.SingularValues(j, 3, 6);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], measured[i], 1e-6);
    }

    [Theory]
    [InlineData("rnn", 1, 0)]
    [InlineData("lstm", 1, 0)]
    [InlineData("gru", 2, 0)]
    [InlineData("lstm", 1, 2)]
    public void Jacobian_RecurrentNet_SingularValuesMatchFiniteDifferenceJacobian(string cell, int stacked, int bptt)
    {
        // x is the whole sequence [τ × inputs]. Two outputs, so the Jacobian pass has two rows and the layout of
        // ∂z/∂x shows; truncated BPTT, which training honours, must not cut the Jacobian of the function.
        const int steps = 4, inputs = 2, outputs = 2, width = steps * inputs;
        var spec = Recurrent.RecurrentGradientTests.Spec(cell, "tanh", "quadratic", stacked, inputs, hidden: 3, outputs, steps, bptt: bptt);
        var network = Network<double>.Create(spec, seed: 3);
        foreach (var p in network.Parameters)
            for (int i = 0; i < p.Values.Length; i++) p.Values[i] *= 2;
        var data = TestNets.RandomData(10, width, outputs, oneHot: false, seed: 5);
        var sink = new MemorySink();
        var probes = new ProbeSet<double>(network, new ProbeOptions { Preset = "none", Norms = "never", Jacobian = "every:1", JacobianInputs = 2 }, sink, data);
        using var trainer = new Trainer<double>(network, new TrainingOptions { BatchSize = 3 });
        var before = network.Clone();
        using (trainer.Attach(probes)) trainer.TrainBatch(data, [0, 1, 2]);
        var measured = sink.Of(Quantity.JacobianSingularValues).ToList();
        Assert.Equal(2, measured.Count);

        var ws = new Workspace<double>(before, 1);
        double[] ZL(double[] x)
        {
            x.CopyTo(ws.Input, 0);
            Backprop.Forward(before, ws, 1);
            return ws.Layers[^1].Z[..outputs];
        }
        for (int e = 0; e < 2; e++)
        {
            var j = new double[outputs * width];
            var x0 = data.Input(e).ToArray();
            for (int k = 0; k < width; k++)
            {
                var plus = (double[])x0.Clone();
                var minus = (double[])x0.Clone();
                plus[k] += 1e-6;
                minus[k] -= 1e-6;
                var zp = ZL(plus);
                var zm = ZL(minus);
                for (int r = 0; r < outputs; r++) j[r * width + k] = (zp[r] - zm[r]) / 2e-6;
            }
            var expected = LinearAlgebra.SingularValues(j, outputs, width);
            var record = measured.Single(r => r.Index == e);
            for (int i = 0; i < outputs; i++) Assert.Equal(expected[i], record.Values![i], 1e-6);
            Assert.Equal(expected[0], record.Value, 1e-6);
        }
    }

    [Fact]
    public void NonFinite_OverflowInFirstLayer_RecordedAsForwardLayer1()
    {
        var spec = new NetworkSpec { Layers = [6, 5, 4, 3], Activation = "relu", Cost = "quadratic", OutputActivation = "identity" };
        var network = Network<float>.Create(spec, seed: 1);
        network.Layer(1).Weights.AsSpan().Fill(3e38f);
        var data = TestNets.RandomData(10, 6, 3, false, 1).Convert<float>();
        for (int i = 0; i < 10; i++) { }
        var sink = new MemorySink();
        var probes = new ProbeSet<float>(network, ProbeOptions.FromPreset("minimal"), sink, data);
        using var trainer = new Trainer<float>(network, new TrainingOptions { BatchSize = 5 });
        using (trainer.Attach(probes)) trainer.TrainBatch(data, [0, 1, 2, 3, 4]);
        Assert.NotNull(probes.NonFinite);
        Assert.Equal(("forward", 1, 0L), (probes.NonFinite!.Direction, probes.NonFinite.Layer, probes.NonFinite.Step));
        Assert.Single(sink.Of(Quantity.NonFinite));
    }

    [Fact]
    public void Schedule_LogAndEvery_AreDueAtTheRightSteps()
    {
        var log = Schedule.Parse("log");
        Assert.Equal([0L, 1, 2, 4, 8, 16], Enumerable.Range(0, 20).Select(i => (long)i).Where(log.IsDue));
        var both = Schedule.Parse("log+every:5");
        Assert.Equal([0L, 1, 2, 4, 5, 8, 10, 15, 16], Enumerable.Range(0, 20).Select(i => (long)i).Where(both.IsDue));
        Assert.Throws<ArgumentException>(() => Schedule.Parse("sometimes"));
    }
}
