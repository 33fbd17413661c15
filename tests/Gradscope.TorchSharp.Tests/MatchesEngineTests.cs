using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp.Tests;

/// <summary>
/// The same sigmoid MLP, the same weights and the same batch, in float64: once through Gradscope's engine with its
/// probes, once through TorchSharp with the monitor. Every quantity both write must agree to 1e-6 relative.
/// </summary>
public sealed class MatchesEngineTests
{
    private static readonly int[] Sizes = [10, 8, 7, 6, 4];

    [TorchFact]
    public void Step_SameMlpSameWeights_EqualsEngineTo1e6()
    {
        const int m = 12;
        const double eta = 0.5;
        torch.manual_seed(11);
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int l = 1; l < Sizes.Length; l++)
        {
            modules.Add(($"fc{l}", nn.Linear(Sizes[l - 1], Sizes[l], dtype: ScalarType.Float64)));
            modules.Add(($"act{l}", nn.Sigmoid()));
        }
        var model = nn.Sequential(modules);

        // The engine's copy: W is row-major [fan-out × fan-in] like Linear.weight.
        var spec = new NetworkSpec { Layers = Sizes, Activation = "sigmoid", Cost = "cross-entropy" };
        var network = Network<double>.CreateEmpty(spec);
        for (int l = 1; l < Sizes.Length; l++)
        {
            var linear = (global::TorchSharp.Modules.Linear)modules[2 * (l - 1)].Item2;
            linear.weight!.data<double>().CopyTo(network.Layer(l).Parameters.First(p => p.Role == Gradscope.Model.ParameterRole.Weight).Values, 0, 0);
            linear.bias!.data<double>().CopyTo(network.Layer(l).Parameters.First(p => p.Role == Gradscope.Model.ParameterRole.Bias).Values, 0, 0);
        }

        var rng = new Random(5);
        var inputs = Enumerable.Range(0, m * Sizes[0]).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var targets = Enumerable.Range(0, m * Sizes[^1]).Select(_ => (double)rng.Next(2)).ToArray();

        // Engine: two SGD steps with the standard probes (everything due at step 0; at step 1 the adapter forms δ from
        // the activations' gradients rather than z's).
        var sink = new MemorySink();
        var data = new Dataset<double>("batch", Sizes[0], Sizes[^1], inputs, targets);
        using (var trainer = new Trainer<double>(network, new TrainingOptions { Eta = eta, BatchSize = m }))
        using (trainer.Attach(new ProbeSet<double>(network, ProbeOptions.FromPreset("standard"), sink)))
            for (int s = 0; s < 2; s++) trainer.TrainBatch(data, Enumerable.Range(0, m).ToArray());

        // TorchSharp: the same step; Nielsen's cross-entropy is summed over outputs and averaged over the batch.
        using var dir = new RunDirectory("engine-twin");
        using (var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run, Probes = "standard" }))
        {
            var optimizer = optim.SGD(model.parameters(), eta);
            for (int s = 0; s < 2; s++)
            {
                optimizer.zero_grad();
                var a = model.call(tensor(inputs, [m, Sizes[0]], ScalarType.Float64));
                var loss = nn.functional.binary_cross_entropy(a, tensor(targets, [m, Sizes[^1]], ScalarType.Float64), reduction: nn.Reduction.Sum) / m;
                loss.backward();
                scope.Step(loss);
                optimizer.step();
            }
        }

        var torchRecords = RunRecord.Load(dir.Run).Metrics.ToList();
        string[] shared =
        [
            Quantity.BiasGradNorm, Quantity.WeightGradNorm, Quantity.DeltaNorm, Quantity.Gain, Quantity.WeightFactor,
            Quantity.ActivationFactor, Quantity.SigmaPrimeMean, Quantity.SigmaPrimeMin, Quantity.SigmaPrimeMax,
            // Not DeadFraction: after one step neither has seen the 1,000 examples a dead unit must be silent on; both
            // writers share the rule (DeadUnits, tested against a naive twin).
            Quantity.SaturatedFraction, Quantity.ActivationMean, Quantity.ActivationStd,
            Quantity.WeightNorm, Quantity.UpdateRatio, Quantity.Cost,
        ];
        int compared = 0;
        foreach (var quantity in shared)
        {
            var engine = sink.Records.Where(r => r.Quantity == quantity).ToDictionary(r => (r.Step, r.Layer), r => r.Value);
            var adapter = torchRecords.Where(r => r.Quantity == quantity).ToDictionary(r => (r.Step, r.Layer), r => r.Value);
            Assert.True(engine.Count > 0, $"the engine wrote no {quantity}");
            Assert.Equal(engine.Keys.Order(), adapter.Keys.Order());
            foreach (var (key, expected) in engine)
            {
                double actual = adapter[key];
                Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(Math.Abs(expected), 1e-300),
                    $"{quantity} of layer {key.Layer} at step {key.Step}: engine {expected:R}, TorchSharp {actual:R}");
                compared++;
            }
        }
        Assert.True(compared > 100, $"only {compared} numbers compared");
    }
}
