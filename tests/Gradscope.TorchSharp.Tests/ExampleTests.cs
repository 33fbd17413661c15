using Gradscope.Diagnosis;
using Gradscope.TorchSharp.Example;

namespace Gradscope.TorchSharp.Tests;

/// <summary>
/// The example project, trained here: the deep sigmoid MLP and sigmoid conv net are diagnosed as vanishing from
/// their records alone; with ReLU + He, or batch normalisation, they are diagnosed healthy.
/// </summary>
public sealed class ExampleTests
{
    // Small enough for CI on two cores, long enough for the doctor's windows (the first and last fifth of the steps).
    private static readonly ExampleOptions Short = new() { Train = 2000, Test = 500, Epochs = 2, BatchSize = 20 };

    [TorchFact]
    public void Example_SigmoidMlp_DiagnosedVanishing() => AssertVanishing("sigmoid-mlp");

    [TorchFact]
    public void Example_SigmoidConvNet_DiagnosedVanishing() => AssertVanishing("sigmoid-conv", Short with { Train = 1000 });

    [TorchFact]
    public void Example_ReluHeMlp_DiagnosedHealthy() => AssertHealthy("relu-he-mlp");

    [TorchFact]
    public void Example_BatchNormMlp_DiagnosedHealthy() => AssertHealthy("batchnorm-mlp");

    [TorchFact]
    public void Example_ReluHeConvNet_DiagnosedHealthy() => AssertHealthy("relu-he-conv", Short with { Train = 1000 });

    private static void AssertVanishing(string model, ExampleOptions? options = null)
    {
        var findings = Train(model, options, out var run);
        var vanishing = Assert.Single(findings, f => f.Kind == FindingKind.Vanishing);
        Assert.NotEqual(Severity.Info, vanishing.Severity);
        Assert.True(vanishing.Numbers["first_to_last_ratio"] < 0.1, vanishing.Evidence);
        Assert.Equal(RunStatus.Complete, run.Info.Status);
    }

    private static void AssertHealthy(string model, ExampleOptions? options = null)
    {
        var findings = Train(model, options, out var run);
        Assert.DoesNotContain(findings, f => f.Kind is FindingKind.Vanishing or FindingKind.Exploding or FindingKind.NonFinite);
        Assert.True(run.Epochs[^1].TrainAccuracy > 0.5, $"{model} did not learn: {run.Epochs[^1].TrainAccuracy:P0}");
    }

    private static IReadOnlyList<Finding> Train(string model, ExampleOptions? options, out RunRecord run)
    {
        using var dir = new RunDirectory(model);
        Example.Training.Run(model, dir.Run, options ?? Short);
        run = RunRecord.Load(dir.Run);
        return Doctor.Diagnose(DiagnosisInput.From(run));
    }
}
