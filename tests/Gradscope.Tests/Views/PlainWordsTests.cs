using Gradscope.Experiments;
using Gradscope.Experiments.Reproductions;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Views;

/// <summary>Counts and changes said as a person would: "1 epoch", "3,014 of 15,000 steps (every 5th)", "lowered the cost from … to …".</summary>
public sealed class PlainWordsTests
{
    [Theory]
    [InlineData(1, "1 epoch")]
    [InlineData(0, "0 epochs")]
    [InlineData(2, "2 epochs")]
    [InlineData(15000, "15,000 epochs")]
    public void Count_SingularOnlyForOne(long n, string expected) => Assert.Equal(expected, Numbers.Count(n, "epoch"));

    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(5, "5th")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(22, "22nd")]
    [InlineData(101, "101st")]
    [InlineData(1000, "1,000th")]
    public void Ordinal_EnglishSuffixes(long n, string expected) => Assert.Equal(expected, Numbers.Ordinal(n));

    [Fact]
    public void MeasuredSteps_NormsEveryFifthStep_CountsMeasuredOfTrainedAndTheGap()
    {
        // 200 examples in batches of 10 for 5 epochs: 100 steps; norms every 5th (0, 5, …, 95), plus the final step 99.
        var spec = new ExperimentSpec
        {
            Network = new NetworkSpec { Layers = [20, 8, 2] },
            Training = new TrainingOptions { BatchSize = 10, Epochs = 5 },
            Probes = new ProbeOptions { Preset = "custom", Norms = "every:5" },
            Seed = 3,
        };
        var outcome = ExperimentRunner.Run(spec, TestNets.Separable<float>(200, 20, 1), null, null);
        var (measured, trained, every) = RunViews.Of(outcome, spec).MeasuredSteps();
        Assert.Equal((21L, 100L, 5L), (measured, trained, every));
    }

    [Fact]
    public void MeasuredSteps_ZeroEpochs_OnlyStepZeroAndNoneTrained()
    {
        var spec = new ExperimentSpec { Network = new NetworkSpec { Layers = [20, 8, 2] }, Training = new TrainingOptions { Epochs = 0 }, Seed = 3 };
        var outcome = ExperimentRunner.Run(spec, TestNets.Separable<float>(50, 20, 1), null, null);
        Assert.Equal((1L, 0L), RunViews.Of(outcome, spec).MeasuredSteps() is var (m, t, _) ? (m, t) : default);
    }

    [Theory]
    [InlineData(2.3, 0.41, "lowered the cost from 2.3 to 0.41")]
    [InlineData(2.3, 2.5, "raised the cost from 2.3 to 2.5")]
    [InlineData(2.302585, 2.302586, "did not move the cost (2.3 before and after, to 3 significant digits)")]
    public void CostChange_SaysTheDirectionInWords(double before, double after, string expected) =>
        Assert.Equal(expected, HeReluDepth.CostChange((before, after)));
}
