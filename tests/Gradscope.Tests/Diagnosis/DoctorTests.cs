using Gradscope.Data;
using Gradscope.Diagnosis;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Diagnosis;

/// <summary>Constructed runs with a known condition get the right verdict; healthy ones get none.</summary>
public sealed class DoctorTests
{
    private static readonly Dataset<float> Data = TestNets.Separable<float>(600, 20, seed: 4);

    private static ExperimentSpec Spec(NetworkSpec network) => new()
    {
        Network = network,
        Training = new TrainingOptions { Eta = 0.5, BatchSize = 10, Epochs = 1 },
        Probes = ProbeOptions.FromPreset("standard") with { ReferenceSize = 200 },
    };

    [Fact]
    public void PreFlight_DeepSigmoidWithStandardNormalWeights_Vanishing()
    {
        var spec = Spec(new NetworkSpec { Layers = [20, 10, 10, 10, 10, 10, 10, 10, 10, 2], Activation = "sigmoid", Init = "standard-normal" });
        var (findings, _) = PreFlight.Check(spec, Data);
        var vanishing = Assert.Single(findings, f => f.Kind == FindingKind.Vanishing);
        Assert.Equal(Severity.Critical, vanishing.Severity);
        Assert.True(vanishing.Numbers["first_to_last_ratio"] < 0.01);
        Assert.Contains("σ'", vanishing.Explanation);
        Assert.Equal("relu-he", vanishing.Remedies[0]);
    }

    [Fact]
    public void PreFlight_SigmoidWithHugeWeights_Saturation()
    {
        var spec = Spec(new NetworkSpec { Layers = [20, 30, 30, 2], Activation = "sigmoid", Init = "standard-normal:5" });
        var saturation = Assert.Single(PreFlight.Check(spec, Data).Findings, f => f.Kind == FindingKind.Saturation);
        Assert.Contains(1, saturation.Layers);
    }

    [Fact]
    public void Diagnose_AllWeights100AndZeroPreactivations_Exploding()
    {
        var spec = new NetworkSpec { Layers = [1, 1, 1, 1, 1], Activation = "sigmoid", Cost = "quadratic", BiasInit = "zero" };
        var network = Network<double>.CreateEmpty(spec);
        foreach (var layer in network.Layers)
        {
            layer.Weights[0] = 100;
            layer.Biases[0] = -50;
        }
        var reference = new Dataset<double>("half", 1, 1, [0.5], [0.0]);
        var metrics = PreFlight.Measure(network, reference);
        var findings = Doctor.Diagnose(new DiagnosisInput(RunInfos.Describe(spec), metrics, [], RunStatus.Running, null, AtInit: true));
        var exploding = Assert.Single(findings, f => f.Kind == FindingKind.Exploding);
        Assert.Equal(25.0 * 25.0, exploding.Numbers["first_to_last_ratio"], 1e-6); // layer 1 vs layer 3: two factors of 25
        Assert.Contains("weight", exploding.Explanation);
    }

    [Fact]
    public void Diagnose_ConvergedShallowNet_ConvergedNotVanishing()
    {
        var spec = Spec(new NetworkSpec { Layers = [20, 16, 2], Activation = "sigmoid", Init = "scaled-normal" })
            with { Training = new TrainingOptions { Eta = 1.0, BatchSize = 10, Epochs = 15 } };
        var outcome = ExperimentRunner.Run(spec, Data, null, null);
        var input = new DiagnosisInput(RunInfos.Describe(spec.Network), outcome.Memory!.Records, outcome.Epochs, outcome.Status, null);
        var findings = Doctor.Diagnose(input);
        Assert.Contains(findings, f => f.Kind == FindingKind.Converged);
        Assert.DoesNotContain(findings, f => f.Kind is FindingKind.Vanishing or FindingKind.Exploding);
    }

    [Fact]
    public void PreFlight_ReluWithLargeNegativeBiases_DeadUnits()
    {
        var spec = Spec(new NetworkSpec { Layers = [20, 30, 30, 2], Activation = "relu", Init = "he-normal", BiasInit = "constant:-6" });
        var (findings, _) = PreFlight.Check(spec, Data);
        var dead = Assert.Single(findings, f => f.Kind == FindingKind.DeadUnits);
        Assert.Equal(Severity.Critical, dead.Severity);
        Assert.Equal("zero-bias", dead.Remedies[0]);
    }

    [Fact]
    public void Diagnose_HealthyRuns_NoFindings()
    {
        var healthy = Spec(new NetworkSpec { Layers = [20, 32, 32, 2], Activation = "relu", Init = "he-normal", BiasInit = "zero", Cost = "log-likelihood" })
            with { Training = new TrainingOptions { Eta = 0.05, BatchSize = 20, Epochs = 2 } };
        Assert.Empty(PreFlight.Check(healthy, Data).Findings);
        var outcome = ExperimentRunner.Run(healthy, Data, null, null);
        var findings = Doctor.Diagnose(new DiagnosisInput(RunInfos.Describe(healthy.Network), outcome.Memory!.Records, outcome.Epochs, outcome.Status, null));
        Assert.True(findings.Count == 0, string.Join("; ", findings.Select(f => f.Title + ": " + f.Evidence)));
    }

    [Fact]
    public void Diagnose_NonFiniteRun_CriticalWithWhere()
    {
        var spec = Spec(new NetworkSpec { Layers = [20, 8, 8, 2], Activation = "relu", Init = "standard-normal:100000", Cost = "quadratic", OutputActivation = "identity" })
            with { Training = new TrainingOptions { Eta = 10, BatchSize = 10, Epochs = 2 } };
        var outcome = ExperimentRunner.Run(spec, Data, null, null);
        var findings = Doctor.Diagnose(new DiagnosisInput(RunInfos.Describe(spec.Network), outcome.Memory!.Records, outcome.Epochs, outcome.Status, outcome.NonFinite?.ToString()));
        var f = findings[0];
        Assert.Equal(FindingKind.NonFinite, f.Kind);
        Assert.Equal(Severity.Critical, f.Severity);
        Assert.Contains("step", f.Evidence);
    }

    [Fact]
    public void Verify_DeepSigmoid_ReluHeHelpsAndIsRankedFirst()
    {
        var spec = Spec(new NetworkSpec { Layers = [20, 30, 30, 30, 30, 2], Activation = "sigmoid", Init = "standard-normal" })
            with { Training = new TrainingOptions { Eta = 0.1, BatchSize = 10, Epochs = 1 } };
        var context = RemedyContext.Of(spec.Training) with { MeanGradientNorm = 1.0 };
        var (baseline, results) = Verification.Verify(spec, [RemedyRegistry.For("relu-he", context), RemedyRegistry.For("larger-batch", context)], Data, null, 600);
        Assert.Equal("baseline", baseline.Name);
        Assert.Equal("relu-he", results[0].Name);
        Assert.True(results[0].Helped, results[0].Verdict);
        var batch = results.Single(r => r.Name == "larger-batch");
        Assert.False(batch.Helped);
        Assert.StartsWith("did not help", batch.Verdict);
    }
}
