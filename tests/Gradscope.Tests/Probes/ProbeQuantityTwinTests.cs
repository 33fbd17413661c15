using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Observation;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Probes;

/// <summary>
/// The quantities <see cref="ProbeTwinTests"/> does not reach, each against a naive twin from copies of what the
/// engine handed out: the batch cost, the activation histogram, the reference weight gradient, clipping's global
/// norm and rate, and the Jacobian spectrum of normalised and residual nets.
/// </summary>
public sealed class ProbeQuantityTwinTests
{
    private sealed class Recorder(Network<double> network) : ITrainingObserver<double>
    {
        public Dictionary<long, (double[] A, double[] Y)> Outputs { get; } = [];
        public Dictionary<(long, int), double[]> Activations { get; } = [];
        public Dictionary<long, double> GradientSquares { get; } = [];
        public Dictionary<long, bool> Clipped { get; } = [];
        public Dictionary<long, Network<double>> Before { get; } = [];

        public void OnStepStarting(in StepInfo step) => Before[step.Step] = network.Clone();

        public void OnLayer(in StepInfo step, in LayerView<double> view)
        {
            Activations[(step.Step, view.Index)] = view.A.ToArray();
            if (view.IsOutput) Outputs[step.Step] = (view.A.ToArray(), view.Target.ToArray());
            double squares = 0;
            for (int s = 0; s < view.ParameterCount; s++) foreach (double g in view.Parameter(s).Gradient) squares += g * g;
            GradientSquares[step.Step] = GradientSquares.GetValueOrDefault(step.Step) + squares;
        }

        public void OnGradientsReady(in StepInfo step, in GradientSummary gradients) => Clipped[step.Step] = gradients.Clipped;
    }

    private static double Value(MemorySink sink, long step, int layer, string quantity) =>
        sink.Records.Single(r => r.Step == step && r.Layer == layer && r.Quantity == quantity).Value;

    private static (MemorySink Sink, Recorder Recorder, Network<double> Network) Run(NetworkSpec spec, ProbeOptions options,
        TrainingOptions training, int examples = 40)
    {
        var network = Network<double>.Create(spec, seed: 3);
        var data = TestNets.RandomData(examples, spec.Layers[0], spec.Layers[^1], oneHot: true, seed: 5);
        var sink = new MemorySink();
        var recorder = new Recorder(network);
        using var trainer = new Trainer<double>(network, training);
        using (trainer.Attach(recorder))
        using (trainer.Attach(new ProbeSet<double>(network, options, sink, data)))
            trainer.TrainEpoch(data);
        return (sink, recorder, network);
    }

    private static readonly NetworkSpec Plain = new() { Layers = [6, 5, 4, 3], Activation = "sigmoid", Cost = "cross-entropy", Init = "glorot-normal" };

    [Fact]
    public void BatchCost_EveryStep_MatchesMeanOfPerExampleCosts()
    {
        var (sink, rec, network) = Run(Plain, new ProbeOptions { Statistics = "every:1" }, new TrainingOptions { Eta = 0.5, BatchSize = 8, Seed = 2 });
        Assert.Equal(5, rec.Outputs.Count);
        foreach (var (step, (a, y)) in rec.Outputs)
        {
            int rows = a.Length / 3;
            double naive = Enumerable.Range(0, rows).Average(r => network.Cost.Value<double>(a.AsSpan(r * 3, 3), y.AsSpan(r * 3, 3)));
            Assert.Equal(naive, Value(sink, step, 0, Quantity.Cost), 1e-12);
        }
    }

    [Fact]
    public void ActivationHistogram_EveryStepAndLayer_CountsEachActivationInItsBin()
    {
        var (sink, rec, _) = Run(Plain, new ProbeOptions { Histograms = "every:1" }, new TrainingOptions { Eta = 0.5, BatchSize = 8, Seed = 2 });
        foreach (var ((step, l), a) in rec.Activations)
        {
            var record = sink.Records.Single(r => r.Step == step && r.Layer == l && r.Quantity == Quantity.ActivationHistogram);
            Assert.Equal(a.Length, record.Value);
            for (int b = 0; b < Histogram.Count; b++) Assert.Equal(a.Count(v => Histogram.BinOf(v) == b), record.Values![b]);
        }
    }

    [Fact]
    public void ReferenceWeightGradNorm_EachDueStep_MatchesGradientOfFreshCopyOnReferenceSet()
    {
        var (sink, rec, _) = Run(Plain, new ProbeOptions { Reference = "every:2", ReferenceSize = 15 }, new TrainingOptions { Eta = 0.5, BatchSize = 8, Seed = 2 });
        var reference = TestNets.RandomData(40, 6, 3, oneHot: true, seed: 5).Take(15);
        foreach (long step in new long[] { 0, 2, 4 })
        {
            var ws = TestNets.Gradients(rec.Before[step].Clone(), reference);
            for (int l = 1; l <= 3; l++)
            {
                double naive = Math.Sqrt(ws.WeightGradientOf(l).ToArray().Sum(g => g * g));
                Assert.Equal(naive, Value(sink, step, l, Quantity.ReferenceWeightGradNorm), 1e-12);
            }
        }
        Assert.DoesNotContain(sink.Records, r => r.Step == 1 && r.Quantity == Quantity.ReferenceWeightGradNorm);
    }

    [Fact]
    public void Clipping_GlobalNormAndRate_MatchPreClipGradientsAndClippedSteps()
    {
        var (sink, rec, _) = Run(Plain, new ProbeOptions { Norms = "every:3" },
            new TrainingOptions { Eta = 0.5, BatchSize = 4, Seed = 2, ClipNorm = 0.6 }, examples: 40);
        long since = 0;
        foreach (long step in new long[] { 0, 3, 6, 9 })
        {
            Assert.Equal(Math.Sqrt(rec.GradientSquares[step]), Value(sink, step, 0, Quantity.GradGlobalNorm), 1e-12);
            double rate = Enumerable.Range((int)since, (int)(step - since + 1)).Average(s => rec.Clipped[s] ? 1.0 : 0.0);
            Assert.Equal(rate, Value(sink, step, 0, Quantity.ClipRate), 1e-15);
            since = step + 1;
        }
        Assert.Contains(rec.Clipped.Values, c => c);
        Assert.Contains(rec.Clipped.Values, c => !c);
    }

    [Theory]
    [InlineData("layer", true)]
    [InlineData("batch", false)]
    [InlineData("batch", true)]
    public void Jacobian_NormalisedAndResidualNets_MatchFiniteDifferencesOfInferenceMap(string normalization, bool residual)
    {
        var spec = new NetworkSpec
        {
            Layers = [5, 5, 5, 3], Activation = "tanh", Cost = "quadratic", Init = "glorot-normal",
            Normalization = normalization, Residual = residual,
        };
        var (sink, rec, _) = Run(spec, new ProbeOptions { Norms = "never", Jacobian = "every:1", JacobianInputs = 2, ReferenceSize = 10 },
            new TrainingOptions { Eta = 0.2, BatchSize = 8, Seed = 2 }, examples: 16);
        var data = TestNets.RandomData(16, 5, 3, oneHot: true, seed: 5);
        foreach (long step in new long[] { 0, 1 })
        {
            var net = rec.Before[step];
            var ws = new Workspace<double>(net, 1);
            double[] ZL(double[] x)
            {
                x.CopyTo(ws.Input, 0);
                Backprop.Forward(net, ws, 1);
                return ws.Layers[^1].Z[..3];
            }
            for (int input = 0; input < 2; input++)
            {
                var x0 = data.Input(input).ToArray();
                var j = new double[3 * 5];
                for (int k = 0; k < 5; k++)
                {
                    var plus = (double[])x0.Clone();
                    var minus = (double[])x0.Clone();
                    plus[k] += 1e-6;
                    minus[k] -= 1e-6;
                    var zp = ZL(plus);
                    var zm = ZL(minus);
                    for (int r = 0; r < 3; r++) j[r * 5 + k] = (zp[r] - zm[r]) / 2e-6;
                }
                var expected = LinearAlgebra.SingularValues(j, 3, 5);
                var measured = sink.Records.Single(r => r.Step == step && r.Quantity == Quantity.JacobianSingularValues && r.Index == input).Values!;
                for (int i = 0; i < 3; i++) Assert.Equal(expected[i], measured[i], 1e-6);
            }
        }
    }
}
