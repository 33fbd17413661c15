using TorchSharp;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp.Tests;

public sealed class MatchesTorchTests
{
    [TorchFact]
    public void Step_SameStep_NormsEqualTorchsOwnGradNormsAndClipTotal()
    {
        using var dir = new RunDirectory("torch-norms");
        torch.manual_seed(7);
        var model = nn.Sequential(("fc1", nn.Linear(12, 9)), ("act1", nn.Tanh()), ("fc2", nn.Linear(9, 7)), ("act2", nn.Sigmoid()), ("out", nn.Linear(7, 3)));
        var x = randn(16, 12);
        var y = randint(0, 3, [16], dtype: ScalarType.Int64);
        double total, expectedBias2;
        var expected = new List<double>();
        using (var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run, Probes = "full" }))
        {
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            scope.Step(loss);
            foreach (var (_, p) in model.named_parameters()) expected.Add(p.grad!.norm().item<float>());
            expectedBias2 = model.named_parameters().Where(p => p.name == "fc2.bias").Single().parameter.grad!.norm().item<float>();
            // clip_grad_norm_ with an unreachable bound changes nothing and returns the total norm.
            total = nn.utils.clip_grad_norm_(model.parameters(), 1e30);
        }

        var run = RunRecord.Load(dir.Run);
        Assert.Equal(RunStatus.Complete, run.Info.Status);
        Assert.Equal(["fc1", "fc2", "out"], run.Info.Layers.Select(l => l.Name));
        Assert.Equal(["Linear", "Linear", "Linear"], run.Info.Layers.Select(l => l.Kind));
        Assert.Equal(["tanh", "sigmoid", null], run.Info.Layers.Select(l => l.Activation));
        Assert.Equal([12, 9, 7], run.Info.Layers.Select(l => l.Inputs));
        Assert.Equal(["fc2.weight", "fc2.bias"], run.Info.Layer(2).Parameters);
        var perParameter = run.Metrics.Where(m => m.Quantity == TorchQuantity.ParameterGradNorm).OrderBy(m => m.Layer).ThenBy(m => m.Index).Select(m => m.Value).ToList();
        Assert.Equal(expected.Count, perParameter.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], perParameter[i], 1e-5 * expected[i]);
        double global = run.Metrics.Single(m => m.Quantity == Quantity.GradGlobalNorm).Value;
        Assert.Equal(total, global, 1e-5 * total);
        Assert.Equal(expectedBias2, run.Metrics.Single(m => m.Quantity == Quantity.BiasGradNorm && m.Layer == 2).Value, 1e-5 * expectedBias2);
        Assert.Equal(3, run.Metrics.Count(m => m.Quantity == Quantity.WeightGradHistogram));
    }

    [TorchFact]
    public void Step_UnrolledCell_RecordsGradientThroughTimePerStep()
    {
        using var dir = new RunDirectory("torch-cell");
        torch.manual_seed(3);
        var model = new Unrolled();
        var (cell, head) = (model.Cell, model.Head);
        const int steps = 5;
        using (var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run }))
        {
            var inputs = randn(steps, 8, 4);
            (Tensor h, Tensor c) state = (zeros(8, 6), zeros(8, 6));
            for (int t = 0; t < steps; t++) state = cell.call(inputs[t], state);
            var loss = head.call(state.h).pow(2).mean();
            loss.backward();
            scope.Step(loss);
        }
        var run = RunRecord.Load(dir.Run);
        Assert.Equal("LSTMCell", run.Info.Layer(1).Kind);
        Assert.Equal((4, 6), (run.Info.Layer(1).Inputs, run.Info.Layer(1).Units));
        var perStep = run.Metrics.Where(m => m.Quantity == TorchQuantity.TimeGradNorm && m.Layer == 1).OrderBy(m => m.Index).ToList();
        Assert.Equal(Enumerable.Range(0, steps), perStep.Select(m => m.Index));
        Assert.All(perStep, m => Assert.True(m.Value > 0 && double.IsFinite(m.Value)));
        // One output per step: no single δ for the cell, so no gain to the head either.
        Assert.DoesNotContain(run.Metrics, m => m.Quantity == Quantity.DeltaNorm && m.Layer == 1);
        Assert.Contains(run.Metrics, m => m.Quantity == Quantity.DeltaNorm && m.Layer == 2);
    }

    [TorchFact]
    public void Step_AfterTheFirstStep_DeltaEqualsTorchsOwnOutputGradient()
    {
        // From the second step on, δ^l of a layer followed by a known activation is formed from ∂L/∂a and a instead of
        // z's retained gradient; the test keeps z's gradient itself and compares, in float64, at every step.
        using var dir = new RunDirectory("torch-delta");
        torch.manual_seed(5);
        var fc = new[] { nn.Linear(10, 8, dtype: ScalarType.Float64), nn.Linear(8, 8, dtype: ScalarType.Float64), nn.Linear(8, 6, dtype: ScalarType.Float64), nn.Linear(6, 3, dtype: ScalarType.Float64) };
        nn.Module<Tensor, Tensor>[] act = [nn.Tanh(), nn.ReLU(), nn.Sigmoid()];
        var model = nn.Sequential(("fc1", fc[0]), ("act1", act[0]), ("fc2", fc[1]), ("act2", act[1]), ("fc3", fc[2]), ("act3", act[2]), ("out", fc[3]));
        const int m = 16, steps = 4;
        var x = randn(m, 10, dtype: ScalarType.Float64);
        var y = randint(0, 3, [m], dtype: ScalarType.Int64);
        var expected = new double[steps, 4];
        using (var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run }))
        {
            var optimizer = optim.SGD(model.parameters(), 0.3);
            for (int s = 0; s < steps; s++)
            {
                optimizer.zero_grad();
                // The modules called one by one, as the Sequential would, to hold each z^l.
                var zs = new List<Tensor>();
                var a = x;
                for (int l = 0; l < 4; l++)
                {
                    var z = fc[l].call(a);
                    z.retain_grad();
                    zs.Add(z);
                    a = l < 3 ? act[l].call(z) : z;
                }
                var loss = nn.functional.cross_entropy(a, y);
                loss.backward();
                scope.Step(loss);
                for (int l = 0; l < 4; l++) expected[s, l] = zs[l].grad!.norm().item<double>() * Math.Sqrt(m);
                optimizer.step();
            }
        }
        var deltas = RunRecord.Load(dir.Run).Metrics.Where(r => r.Quantity == Quantity.DeltaNorm).ToList();
        Assert.Equal(steps * 4, deltas.Count);
        foreach (var r in deltas)
        {
            double e = expected[r.Step, r.Layer - 1];
            Assert.True(Math.Abs(r.Value - e) <= 1e-9 * e, $"δ of layer {r.Layer} at step {r.Step}: {r.Value:R}, torch {e:R}");
        }
    }

    /// <summary>The documented pattern for recurrent nets: a cell called once per time step by the user's loop.</summary>
    private sealed class Unrolled : nn.Module
    {
        public Unrolled() : base("unrolled") => RegisterComponents();

        // Fields, named as TorchSharp registers them: the module paths are "cell" and "head".
        private readonly global::TorchSharp.Modules.LSTMCell cell = nn.LSTMCell(4, 6);
        private readonly global::TorchSharp.Modules.Linear head = nn.Linear(6, 2);

        public global::TorchSharp.Modules.LSTMCell Cell => cell;
        public global::TorchSharp.Modules.Linear Head => head;
    }
}
