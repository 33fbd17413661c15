using Gradscope.Data;
using Gradscope.Experiments;

namespace Gradscope.Tests.Experiments;

public sealed class RemediesTests
{
    [Fact]
    public void Run_TinyBudget_ReturnsOneFiniteRowPerRemedyAndNet()
    {
        var data = DataSources.Load("digits", 60, 30, 20101);
        var progress = new List<string>();
        var rows = Remedies.Run(data.Train, data.Test, new RemedyBudget { BatchSize = 20 }, new SyncProgress(progress));
        Assert.Equal(2 * RemedyRegistry.Tuned.Count, rows.Count);
        Assert.Equal(RemedyRegistry.Tuned, rows.Where(r => r.HiddenLayers == 4).Select(r => r.Remedy));
        Assert.All(rows, r =>
        {
            Assert.Equal("complete", r.Status);
            Assert.True(double.IsFinite(r.SpeedRatioStart) && r.SpeedRatioStart > 0, $"{r.Remedy}: {r.SpeedRatioStart}");
            Assert.True(double.IsFinite(r.SpeedRatioEnd) && r.SpeedRatioEnd > 0, $"{r.Remedy}: {r.SpeedRatioEnd}");
            Assert.True(double.IsFinite(r.Cost));
            Assert.InRange(r.Accuracy, 0, 1);
        });
        // Nielsen's observation: in the plain sigmoid net the first hidden layer learns far slower than the last.
        Assert.True(rows.Single(r => r.Remedy == "sgd" && r.HiddenLayers == 4).SpeedRatioStart < 0.1);
        Assert.Equal(4 * RemedyRegistry.Tuned.Count, progress.Count);
    }

    [Fact]
    public void SpecOf_EveryRemedy_IsAValidChangedSpec()
    {
        var budget = new RemedyBudget();
        // Names aside, so that a remedy that changed nothing would show.
        string baseline = (Remedies.Baseline(4, budget) with { Name = "x" }).ToJson();
        string sgd = (Remedies.SpecOf("sgd", 4, budget) with { Name = "x" }).ToJson();
        foreach (var name in RemedyRegistry.Names)
        {
            var spec = Remedies.SpecOf(name, 4, budget);
            spec.Validate();
            Assert.Equal($"{name}-4", spec.Name);
            Assert.NotEqual(baseline, (spec with { Name = "x" }).ToJson());
            if (name != "sgd") Assert.NotEqual(sgd, (spec with { Name = "x" }).ToJson());
        }
    }

    [Fact]
    public void Run_UnknownRemedy_NamesIt()
    {
        var data = DataSources.Load("digits", 20, 10, 1);
        var e = Assert.Throws<ArgumentException>(() => Remedies.Run(data.Train, data.Test, new RemedyBudget { Only = ["dropout"] }));
        Assert.Contains("dropout", e.Message);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
