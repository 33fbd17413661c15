using Gradscope.Reports;
using TorchSharp;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp.Tests;

/// <summary>What TorchSharp cannot show is not written, so readers say "not measured" (–), never 0.</summary>
public sealed class NotMeasuredTests
{
    [TorchFact]
    public void Step_ActivationWithoutSigmaPrime_WritesNoSaturationAndViewsShowNone()
    {
        using var dir = new RunDirectory("gelu");
        torch.manual_seed(2);
        var model = nn.Sequential(("fc1", nn.Linear(6, 5)), ("act1", nn.GELU()), ("fc2", nn.Linear(5, 5)), ("act2", nn.Sigmoid()), ("out", nn.Linear(5, 2)));
        using (var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run }))
        {
            var loss = model.call(randn(8, 6)).pow(2).mean();
            loss.backward();
            scope.Step(loss);
        }
        var run = RunRecord.Load(dir.Run);
        Assert.Equal("gelu", run.Info.Layer(1).Activation);
        Assert.DoesNotContain(run.Metrics, m => m.Layer == 1 && m.Quantity is Quantity.SaturatedFraction or Quantity.SigmaPrimeMean);
        Assert.Contains(run.Metrics, m => m.Layer == 2 && m.Quantity == Quantity.SaturatedFraction);
        // Reference-set quantities need a second pass over data the adapter does not have: never written.
        Assert.DoesNotContain(run.Metrics, m => m.Quantity is Quantity.ReferenceBiasGradNorm or Quantity.NoiseCosine);

        var rows = Summaries.Layers(run);
        Assert.True(double.IsNaN(rows[0].Saturated));
        Assert.True(double.IsNaN(rows[2].Saturated));
        Assert.False(double.IsNaN(rows[1].Saturated));
        Assert.Equal("–", Numbers.Short(rows[0].Saturated));
    }
}
