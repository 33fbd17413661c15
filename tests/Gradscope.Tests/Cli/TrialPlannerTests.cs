using System.CommandLine;
using Gradscope.Cli;
using Gradscope.Cli.Sweeps;
using Gradscope.Experiments;
using Gradscope.Numerics;

namespace Gradscope.Tests.Cli;

/// <summary>Trial enumeration: the same list in every worker, ids that follow the resolved spec, seeds from the sweep seed.</summary>
public sealed class TrialPlannerTests
{
    private static readonly Option<string?> Eta = new("--eta");
    private static readonly Option<string?> Depth = new("--depth");
    private static readonly Option<string?> Seed = new("--seed");

    private static ExperimentSpec Build(IReadOnlyList<(SweepAxis Axis, string Value)> config)
    {
        var spec = new ExperimentSpec();
        foreach (var (axis, value) in config) spec = SpecFields.Set(spec, axis.Option.Name, value);
        return spec;
    }

    private static List<SweepTrial> Grid(ulong seed = 1) =>
        TrialPlanner.Plan([new SweepAxis(Depth, ["1", "2", "3"]), new SweepAxis(Eta, ["0.1", "0.2"])], null, seed, false,
            c => Build(c.Where(p => p.Axis.Option != Depth).ToList()));

    [Fact]
    public void Plan_Grid_FirstFlagOutermostAndStable()
    {
        var a = Grid();
        var b = Grid();
        Assert.Equal(["depth=1,eta=0.1", "depth=1,eta=0.2", "depth=2,eta=0.1", "depth=2,eta=0.2", "depth=3,eta=0.1", "depth=3,eta=0.2"],
            a.Select(t => t.Dir));
        Assert.Equal(a.Select(t => (t.Index, t.Id, t.Spec.Seed)), b.Select(t => (t.Index, t.Id, t.Spec.Seed)));
        Assert.Equal(6, a.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void Plan_Seeds_DeriveFromSweepSeedAndIndex()
    {
        var one = Grid(seed: 1);
        var two = Grid(seed: 2);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => TrialPlanner.TrialSeed(1, i)), one.Select(t => t.Spec.Seed));
        Assert.Equal(6, one.Select(t => t.Spec.Seed).Distinct().Count());
        Assert.All(one.Zip(two), p => Assert.NotEqual(p.First.Spec.Seed, p.Second.Spec.Seed));
        // The id hashes the resolved spec, seed included.
        Assert.All(one.Zip(two), p => Assert.NotEqual(p.First.Id, p.Second.Id));
    }

    [Fact]
    public void Plan_SweptSeed_UsesTheListedSeeds()
    {
        var trials = TrialPlanner.Plan([new SweepAxis(Seed, ["7", "9"])], null, 1, seedIsSwept: true, Build);
        Assert.Equal([7UL, 9UL], trials.Select(t => t.Spec.Seed));
    }

    [Fact]
    public void Plan_SampleFromGrid_DistinctDeterministicDraws()
    {
        List<SweepTrial> Sample(ulong seed) => TrialPlanner.Plan(
            [new SweepAxis(Depth, ["1", "2", "3", "4"]), new SweepAxis(Eta, ["0.1", "0.2", "0.3", "0.4", "0.5"])], 7, seed, false,
            c => Build(c.Where(p => p.Axis.Option != Depth).ToList()));
        var a = Sample(3);
        Assert.Equal(7, a.Count);
        Assert.Equal(7, a.Select(t => string.Join(",", t.Params)).Distinct().Count());
        Assert.Equal(a.Select(t => t.Dir), Sample(3).Select(t => t.Dir));
        Assert.NotEqual(a.Select(t => t.Dir), Sample(4).Select(t => t.Dir));
        Assert.StartsWith("0-", a[0].Dir, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SampleFromLogRange_InRangeWithFourDigits()
    {
        var axis = new SweepAxis(Eta, [], ValueRange.Parse("--eta", "log:1e-4..1"));
        var trials = TrialPlanner.Plan([axis], 200, 5, false, Build);
        var etas = trials.Select(t => t.Spec.Training.Eta).ToList();
        Assert.All(etas, eta => Assert.InRange(eta, 1e-4, 1));
        Assert.All(trials, t => Assert.Equal(double.Parse(t.Params[0].Value, System.Globalization.CultureInfo.InvariantCulture), t.Spec.Training.Eta));
        // Log-uniform: about a quarter of draws in each decade, none piled up at the top.
        Assert.InRange(etas.Count(e => e < 1e-3), 30, 70);
        Assert.InRange(etas.Count(e => e >= 1e-1), 30, 70);
    }

    [Fact]
    public void Plan_RangeWithoutSample_Usage() =>
        Assert.Contains("--sample", Assert.Throws<UsageException>(() =>
            TrialPlanner.Plan([new SweepAxis(Eta, [], ValueRange.Parse("--eta", "lin:0..1"))], null, 1, false, Build)).Message);

    [Fact]
    public void Plan_SampleLargerThanGrid_Usage() =>
        Assert.Contains("only 2 configurations", Assert.Throws<UsageException>(() =>
            TrialPlanner.Plan([new SweepAxis(Eta, ["0.1", "0.2"])], 3, 1, false, Build)).Message);

    [Theory]
    [InlineData("log:0..1", "positive low end")]
    [InlineData("lin:2..1", "below the high end")]
    [InlineData("int:1.5..3", "whole-number")]
    [InlineData("log:1e-4", "expected log:low..high")]
    public void ValueRangeParse_Bad_UsageNamingFlag(string text, string expected)
    {
        var e = Assert.Throws<UsageException>(() => ValueRange.Parse("--eta", text));
        Assert.Contains("--eta " + text, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ValueRangeDraw_Int_CoversBothEnds()
    {
        var range = ValueRange.Parse("--depth", "int:1..3");
        var rng = new Rng(1);
        var drawn = Enumerable.Range(0, 100).Select(_ => range.Draw(rng)).Distinct().Order().ToList();
        Assert.Equal(["1", "2", "3"], drawn);
    }
}
