using Gradscope.Diagnosis;
using Gradscope.Experiments;

namespace Gradscope.Tests.Runs;

/// <summary>
/// Runs written in the first run format (gradscope-run/1, by the code of 2026-11-30 before the record had its own
/// project) still open: the fixture is such a run, [784,12,10,10] sigmoid, 2 epochs, probes full, seed 3.
/// </summary>
public sealed class OldFormatTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"gradscope-v1-{Guid.NewGuid():N}");

    public OldFormatTests()
    {
        Directory.CreateDirectory(_dir);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "run-v1")))
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_FirstFormat_DescribesLayersAndSettings()
    {
        var run = RunRecord.Load(_dir);
        Assert.Equal(RunInfo.FirstFormat, run.Info.Format);
        Assert.Equal([784, 12, 10, 10], run.Info.Sizes());
        Assert.Equal(["sigmoid", "sigmoid", "sigmoid"], run.Info.Layers.Select(l => l.Activation));
        Assert.Equal("cross-entropy", run.Info.Cost);
        Assert.Equal(("sgd", "0.1", "10", "5", "full"),
            (run.Info.Setting("optimizer"), run.Info.Setting("eta"), run.Info.Setting("batch"), run.Info.Setting("lambda"), run.Info.Setting("probes")));
        Assert.Equal(RunStatus.Complete, run.Info.Status);
        Assert.Equal(3, run.Epochs.Count);
        Assert.Equal(2730, run.Metrics.Count);
    }

    [Fact]
    public void Load_FirstFormat_SpecReadsBackForVerify()
    {
        var spec = RunInfos.SpecOf(RunRecord.Load(_dir).Info);
        Assert.Equal([784, 12, 10, 10], spec.Network.Layers);
        Assert.Equal((0.1, 10, 5.0, "full"), (spec.Training.Eta, spec.Training.BatchSize, spec.Training.Lambda, spec.Probes.Preset));
        Assert.Equal(3UL, spec.Seed);
    }

    [Fact]
    public void Doctor_FirstFormat_DiagnosesAsTheCurrentFormatWould()
    {
        var run = RunRecord.Load(_dir);
        var findings = Doctor.Diagnose(DiagnosisInput.From(run));
        var current = Doctor.Diagnose(new DiagnosisInput(RunInfos.Describe(RunInfos.SpecOf(run.Info).Network), run.Metrics, run.Epochs, run.Info.Status, run.Info.Failure));
        Assert.Equal(current.Select(f => f.Kind), findings.Select(f => f.Kind));
    }

    [Fact]
    public void Descriptors_FirstFormat_MatchTheEngineRulesForEveryOutputDefault()
    {
        foreach (var (cost, activation) in new[] { ("cross-entropy", "tanh"), ("log-likelihood", "relu"), ("quadratic", "tanh") })
        {
            var network = new Gradscope.Model.NetworkSpec { Layers = [4, 3, 2], Activation = activation, Cost = cost, Normalization = "layer" };
            var json = new System.Text.Json.Nodes.JsonObject
            {
                ["format"] = "gradscope-run/1",
                ["network"] = System.Text.Json.JsonSerializer.SerializeToNode(network, Gradscope.IO.SpecJson.Options),
                ["training"] = new System.Text.Json.Nodes.JsonObject(),
                ["data"] = new System.Text.Json.Nodes.JsonObject { ["source"] = "x", ["train"] = 1 },
            };
            var upgraded = RunInfoV1.Read(json);
            var engine = RunInfos.Describe(network);
            Assert.Equal(engine.Select(l => (l.Activation, l.Normalization, l.Units)), upgraded.Layers.Select(l => (l.Activation, l.Normalization, l.Units)));
        }
    }
}
