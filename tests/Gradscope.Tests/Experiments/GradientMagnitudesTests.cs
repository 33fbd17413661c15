using System.Diagnostics;
using Gradscope.Cli.Commands;
using Gradscope.Data;
using Gradscope.Experiments.Reproductions;
using Gradscope.Numerics;

namespace Gradscope.Tests.Experiments;

/// <summary><c>reproduce gradient-magnitudes</c> at a small budget, its numbers, its findings and its page.</summary>
public sealed class GradientMagnitudesTests
{
    private static readonly Lazy<(ReproResult Result, TimeSpan Took)> Quick = new(() =>
    {
        var digits = DataSources.Load("digits", 2000, 300, 20101);
        var clock = Stopwatch.StartNew();
        var result = new GradientMagnitudes().Run(new ReproContext(_ => digits, seed: 1, budget: 0.1));
        return (result, clock.Elapsed);
    });

    private static double Value(ReproResult r, string name) => r.Values!.Single(v => v.Name == name).Value;

    [Fact]
    public void Run_Budget01_FinishesInAMinuteWithEveryNumber()
    {
        var (result, took) = Quick.Value;
        Assert.True(took < TimeSpan.FromMinutes(1), $"took {took}");
        Assert.NotNull(result.Values);
        foreach (string net in new[] { "sigmoid", "tanh", "relu" })
        {
            foreach (string b in new[] { "1", "10", "100" })
            {
                double parts = new[] { "between-layers", "between-steps", "within-layer", "noise" }.Sum(p => Value(result, $"{net}/B={b}/{p}"));
                Assert.Equal(Value(result, $"{net}/B={b}/total"), parts, 1e-9);
                Assert.True(Value(result, $"{net}/B={b}/noise") > 0);
            }
            Assert.Equal(0, Value(result, $"{net}/B=200 (full)/noise"));
            Assert.True(double.IsFinite(Value(result, $"{net}/rmsprop/update-spread")));
        }
        Assert.All(result.Values!, v => Assert.True(double.IsFinite(v.Value), v.Name));
        Assert.Equal(2, result.Figures!.Count);
    }

    [Fact]
    public void Run_Budget01_NoiseShrinksWithBatchAndDepthSpreadsSigmoidMoreThanRelu()
    {
        var r = Quick.Value.Result;
        foreach (string net in new[] { "sigmoid", "tanh", "relu" })
        {
            Assert.True(Value(r, $"{net}/scaling/B=100/relative-variance") < 0.1 * Value(r, $"{net}/scaling/B=1/relative-variance"), net);
            Assert.True(Value(r, $"{net}/scaling/B=100/log-noise") < Value(r, $"{net}/scaling/B=1/log-noise"), net);
        }
        Assert.True(Value(r, "sigmoid/B=10/between-layers") > Value(r, "relu/B=10/between-layers"));
    }

    [Fact]
    public void Findings_ChangedInput_ChangeTheFinding()
    {
        static MagnitudeCell Cell(string net, int b, double layers, double noise) =>
            new(net, b, b == 200, new VarianceComponents(layers, 0.1, 0.5, noise, 100), 0, 0);
        var cells = new List<MagnitudeCell> { Cell("sigmoid", 1, 2.0, 1.0), Cell("sigmoid", 10, 2.0, 0.3), Cell("relu", 1, 0.1, 1.0), Cell("relu", 10, 0.1, 0.3) };
        var spreads = new List<UpdateSpread>
        {
            new("sigmoid", "sgd", new VarianceComponents(2, 0.1, 0.5, 0, 10), 3),
            new("sigmoid", "rmsprop", new VarianceComponents(0.1, 0.1, 0.2, 0, 10), 1),
        };
        var before = GradientMagnitudesReport.Findings(cells, [], spreads);
        Assert.Contains(before, f => f.Contains("the vanishing product of σ' makes depth a large source", StringComparison.Ordinal));
        Assert.Contains(before, f => f.StartsWith("sigmoid: SGD noise in log magnitude shrinks", StringComparison.Ordinal));
        Assert.Contains(before, f => f.StartsWith("sigmoid: RMSProp (decay 0.9) narrows", StringComparison.Ordinal));
        Assert.Contains(before, f => f.StartsWith("sigmoid: at B=1 the largest source of spread in log₁₀|∂C/∂w| is between layers", StringComparison.Ordinal));

        cells[0] = Cell("sigmoid", 1, 0.05, 0.2);
        cells[1] = Cell("sigmoid", 10, 0.05, 0.3);
        spreads[1] = spreads[1] with { Components = new VarianceComponents(3, 0.1, 0.5, 0, 10) };
        var after = GradientMagnitudesReport.Findings(cells, [], spreads);
        Assert.Contains(after, f => f.Contains("not larger for sigmoid than for ReLU + He", StringComparison.Ordinal));
        Assert.Contains(after, f => f.StartsWith("sigmoid: SGD noise in log magnitude does not shrink", StringComparison.Ordinal));
        Assert.Contains(after, f => f.StartsWith("sigmoid: RMSProp (decay 0.9) does not narrow", StringComparison.Ordinal));
        Assert.Contains(after, f => f.StartsWith("sigmoid: at B=1 the largest source of spread in log₁₀|∂C/∂w| is within layer", StringComparison.Ordinal));
    }

    [Fact]
    public void Findings_NoiseScaling_SaysWhetherItFollowsOneOverB()
    {
        NoiseScaling[] follows = [new("relu", 1, 1, 1, 0.5), new("relu", 100, 0.0052, 0.005, 0.1)];
        Assert.Contains(GradientMagnitudesReport.Findings([], follows, []), f => f.Contains("as 1/B (with the finite-population correction) predicts", StringComparison.Ordinal));
        NoiseScaling[] off = [follows[0], follows[1] with { RelativeVariance = 0.05 }];
        Assert.Contains(GradientMagnitudesReport.Findings([], off, []), f => f.Contains("a factor 10.000 off the 1/B prediction", StringComparison.Ordinal));
    }

    [Fact]
    public void ReproPage_Html_EncodesTextAndDrawsEachFigure()
    {
        var result = new ReproResult("x<y", "src & co", [new ReproTable("t", ["a"], [["<b>"]])], ["f > g"], [], [],
            [new ReproFigure("fig", "decades²", ["one", "two"], [new ReproBar("bar", [1, 2])])]);
        string html = ReproPage.Html(result);
        Assert.Contains("x&lt;y", html);
        Assert.Contains("&lt;b&gt;", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<svg "));
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal));
    }
}
