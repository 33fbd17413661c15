using TorchSharp;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp.Tests;

/// <summary>
/// ∂L/∂a^l formed in managed code as δ^{l+1} W^{l+1} (MonitorScope.Backward.cs) once a first step has compared it with
/// autograd's: the record must still equal TorchSharp's own gradients, step after step, and a layer whose output is
/// used elsewhere must keep autograd's gradient.
/// </summary>
public sealed class ManagedBackwardTests
{
    [TorchFact]
    public void Step_LinearChain_ActivationGradientAndDeltaEqualTorchsRetainedGradients()
    {
        using var dir = new RunDirectory("torch-managed-backward");
        torch.manual_seed(11);
        var fc = new[] { nn.Linear(10, 8, dtype: ScalarType.Float64), nn.Linear(8, 8, dtype: ScalarType.Float64), nn.Linear(8, 6, dtype: ScalarType.Float64), nn.Linear(6, 3, dtype: ScalarType.Float64) };
        nn.Module<Tensor, Tensor>[] act = [nn.Tanh(), nn.ReLU(), nn.Sigmoid()];
        var model = nn.Sequential(("fc1", fc[0]), ("act1", act[0]), ("fc2", fc[1]), ("act2", act[1]), ("fc3", fc[2]), ("act3", act[2]), ("out", fc[3]));
        const int m = 16, steps = 5;
        var y = randint(0, 3, [m], dtype: ScalarType.Int64);
        var expectedDelta = new double[steps, 4];
        var expectedBack = new double[steps, 3];
        using (var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run }))
        {
            var optimizer = optim.SGD(model.parameters(), 0.3);
            for (int s = 0; s < steps; s++)
            {
                optimizer.zero_grad();
                var x = randn(m, 10, dtype: ScalarType.Float64);
                // The modules called one by one, as the Sequential would, to keep every z^l and a^l's gradient here.
                var zs = new List<Tensor>();
                var activations = new List<Tensor>();
                var a = x;
                for (int l = 0; l < 4; l++)
                {
                    var z = fc[l].call(a);
                    z.retain_grad();
                    zs.Add(z);
                    a = l < 3 ? act[l].call(z) : z;
                    if (l < 3)
                    {
                        a.retain_grad();
                        activations.Add(a);
                    }
                }
                var loss = nn.functional.cross_entropy(a, y);
                loss.backward();
                scope.Step(loss);
                for (int l = 0; l < 4; l++) expectedDelta[s, l] = zs[l].grad!.norm().item<double>() * Math.Sqrt(m);
                for (int l = 0; l < 3; l++) expectedBack[s, l] = activations[l].grad!.norm().item<double>() * Math.Sqrt(m);
                optimizer.step();
            }
            // After the first step every hidden layer forms ∂L/∂a itself: autograd keeps only the output layer's gradient.
            var layers = scope.ModuleLayers;
            for (int l = 0; l < 3; l++)
            {
                Assert.True(layers[l].BackFromNext, $"layer {l + 1} forms ∂L/∂a from the next layer");
                Assert.False(layers[l].ActivationOutput!.RetainsGradient);
                Assert.True(layers[l].DeltaFromActivation);
                Assert.False(layers[l].Output!.RetainsGradient);
            }
            Assert.True(layers[3].Output!.RetainsGradient);
        }

        var metrics = RunRecord.Load(dir.Run).Metrics;
        var deltas = metrics.Where(r => r.Quantity == Quantity.DeltaNorm).ToDictionary(r => (r.Step, r.Layer), r => r.Value);
        Assert.Equal(steps * 4, deltas.Count);
        foreach (var ((step, layer), value) in deltas)
        {
            double e = expectedDelta[step, layer - 1];
            Assert.True(Math.Abs(value - e) <= 1e-9 * e, $"δ of layer {layer} at step {step}: {value:R}, torch {e:R}");
        }
        // ‖∂L/∂a^l‖ is recorded through the weight factor ‖∂L/∂a^l‖/‖δ^{l+1}‖.
        var factors = metrics.Where(r => r.Quantity == Quantity.WeightFactor).ToList();
        Assert.Equal(steps * 3, factors.Count);
        foreach (var r in factors)
        {
            double back = r.Value * deltas[(r.Step, r.Layer + 1)], e = expectedBack[r.Step, r.Layer - 1];
            Assert.True(Math.Abs(back - e) <= 1e-9 * e, $"‖∂L/∂a‖ of layer {r.Layer} at step {r.Step}: {back:R}, torch {e:R}");
        }
    }

    [TorchFact]
    public void Step_ActivationAlsoUsedElsewhere_KeepsAutogradsGradient()
    {
        // a^1 feeds fc2 and also the loss directly: δ² W² is only part of ∂L/∂a^1, so the first step refuses the short way.
        using var dir = new RunDirectory("torch-managed-skip");
        torch.manual_seed(12);
        var model = new Skip();
        const int m = 8, steps = 3;
        var expected = new double[steps];
        using (var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run }))
        {
            var optimizer = optim.SGD(model.parameters(), 0.1);
            for (int s = 0; s < steps; s++)
            {
                optimizer.zero_grad();
                var (output, a1) = model.Forward(randn(m, 5, dtype: ScalarType.Float64));
                a1.retain_grad();
                var loss = output.pow(2).mean();
                loss.backward();
                scope.Step(loss);
                expected[s] = a1.grad!.norm().item<double>() * Math.Sqrt(m);
                optimizer.step();
            }
            Assert.False(scope.ModuleLayers[0].BackFromNext);
            Assert.True(scope.ModuleLayers[0].ActivationOutput!.RetainsGradient);
        }
        var metrics = RunRecord.Load(dir.Run).Metrics;
        var deltas = metrics.Where(r => r.Quantity == Quantity.DeltaNorm).ToDictionary(r => (r.Step, r.Layer), r => r.Value);
        foreach (var r in metrics.Where(r => r.Quantity == Quantity.WeightFactor && r.Layer == 1))
        {
            double back = r.Value * deltas[(r.Step, 2)];
            Assert.True(Math.Abs(back - expected[r.Step]) <= 1e-9 * expected[r.Step], $"step {r.Step}: {back:R}, torch {expected[r.Step]:R}");
        }
    }

    private sealed class Skip : nn.Module
    {
        public Skip() : base("skip") => RegisterComponents();

        private readonly global::TorchSharp.Modules.Linear fc1 = nn.Linear(5, 4, dtype: ScalarType.Float64);
        private readonly global::TorchSharp.Modules.Tanh act1 = nn.Tanh();
        private readonly global::TorchSharp.Modules.Linear fc2 = nn.Linear(4, 4, dtype: ScalarType.Float64);

        public (Tensor Output, Tensor A1) Forward(Tensor x)
        {
            var a1 = act1.call(fc1.call(x));
            return (fc2.call(a1) + a1, a1);
        }
    }
}
