using TorchSharp;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp.Tests;

/// <summary>Each misuse gives one clear message, and the run directory says what happened.</summary>
public sealed class BadUseTests
{
    private static nn.Module<Tensor, Tensor> Mlp() =>
        nn.Sequential(("fc1", nn.Linear(4, 5)), ("act1", nn.Sigmoid()), ("out", nn.Linear(5, 2)));

    [TorchFact]
    public void Attach_Twice_RefusesAndSecondDirectorySaysWhy()
    {
        using var dir = new RunDirectory("twice");
        var model = Mlp();
        using var first = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run });
        var e = Assert.Throws<MonitorException>(() => GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Other("second") }));
        Assert.Contains("already monitored", e.Message);
        Assert.Contains(first.RunDirectory, e.Message);
        var second = RunRecord.Load(dir.Other("second")).Info;
        Assert.Equal((RunStatus.Failed, e.Message), (second.Status, second.Failure));
    }

    [TorchFact]
    public void Attach_AfterDispose_Succeeds()
    {
        using var dir = new RunDirectory("again");
        var model = Mlp();
        GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run }).Dispose();
        using var again = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Other("again") });
        Assert.Equal(2, again.Layers.Count);
    }

    [TorchFact]
    public void Attach_ModelWithoutParameters_RefusesAndRecordsFailure()
    {
        using var dir = new RunDirectory("no-params");
        var e = Assert.Throws<MonitorException>(() => GradscopeMonitor.Attach(nn.Sequential(nn.ReLU(), nn.Flatten()), new MonitorOptions { RunDirectory = dir.Run }));
        Assert.Contains("no parameters", e.Message);
        var info = RunRecord.Load(dir.Run).Info;
        Assert.Equal((RunStatus.Failed, e.Message), (info.Status, info.Failure));
    }

    [TorchFact]
    public void Step_WithoutBackward_FailsTheRunWithTheFix()
    {
        using var dir = new RunDirectory("no-backward");
        var model = Mlp();
        var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run });
        var loss = model.call(randn(3, 4)).sum();
        var e = Assert.Throws<MonitorException>(() => scope.Step(loss));
        Assert.Contains("loss.backward()", e.Message);
        scope.Dispose();
        var info = RunRecord.Load(dir.Run).Info;
        Assert.Equal((RunStatus.Failed, e.Message), (info.Status, info.Failure));
    }

    [TorchFact]
    public void Step_WithoutBackwardAfterZeroGrad_IsCaughtFromTheOutputs()
    {
        using var dir = new RunDirectory("stale-gradients");
        var model = Mlp();
        using var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run });
        var loss = model.call(randn(3, 4)).sum();
        loss.backward();
        scope.Step(loss);
        // Gradients from the step before are still on the parameters; this forward pass had no backward.
        var again = model.call(randn(3, 4)).sum();
        Assert.Throws<MonitorException>(() => scope.Step(again));
    }

    [TorchFact]
    public void Step_NaNLoss_FailsWithProvenanceAndDiagnosisSeesIt()
    {
        using var dir = new RunDirectory("nan");
        var model = Mlp();
        var scope = GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir.Run });
        using (no_grad()) ((global::TorchSharp.Modules.Linear)model.named_children().First().module).weight![0, 0] = double.NaN;
        var loss = model.call(randn(3, 4)).sum();
        loss.backward();
        var e = Assert.Throws<MonitorException>(() => scope.Step(loss));
        Assert.Contains("non-finite value at step 0", e.Message);
        Assert.Contains("layer 1", e.Message);
        scope.Dispose();
        var run = RunRecord.Load(dir.Run);
        Assert.Equal(RunStatus.Failed, run.Info.Status);
        Assert.Contains(run.Metrics, m => m.Quantity == Quantity.NonFinite && m.Layer == 1);
        var findings = Diagnosis.Doctor.Diagnose(Diagnosis.DiagnosisInput.From(run));
        Assert.Contains(findings, f => f.Kind == FindingKind.NonFinite);
    }
}
