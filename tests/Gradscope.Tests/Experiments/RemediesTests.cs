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
        Assert.Equal(2 * Remedies.Names.Count, rows.Count);
        Assert.Equal(Remedies.Names, rows.Where(r => r.HiddenLayers == 4).Select(r => r.Remedy));
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
        Assert.Equal(4 * Remedies.Names.Count, progress.Count);
    }

    [Fact]
    public void SpecOf_EveryRemedy_IsAValidChangedSpec()
    {
        var budget = new RemedyBudget();
        var baseline = Remedies.SpecOf("sgd", 4, budget);
        foreach (var name in Remedies.Names.Skip(1))
        {
            var spec = Remedies.SpecOf(name, 4, budget);
            spec.Validate();
            Assert.NotEqual(baseline.ToJson(), spec.ToJson());
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
