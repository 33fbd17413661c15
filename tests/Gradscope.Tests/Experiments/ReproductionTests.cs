using Gradscope.Data;
using Gradscope.Experiments.Reproductions;

namespace Gradscope.Tests.Experiments;

/// <summary>Each reproduction on a small budget, checked for the published qualitative result.</summary>
public sealed class ReproductionTests
{
    private static readonly Lazy<DataSplit> Digits = new(() => DataSources.Load("digits", 2000, 300, 20101));

    private static ReproContext Context(double budget) => new(_ => Digits.Value, seed: 1, budget: budget);

    private static double Cell(string text) =>
        double.Parse(text.Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void NielsenCh5_AtInit_SpeedOfLearningRisesWithLayer()
    {
        var result = new NielsenCh5().Run(Context(0.01));
        var init = result.Tables[0];
        Assert.Equal(3, init.Rows.Count);
        foreach (var row in init.Rows)
        {
            var speeds = row.Skip(1).Where(c => c.Length > 0).Select(Cell).ToList();
            for (int i = 1; i < speeds.Count; i++) Assert.True(speeds[i] > 2 * speeds[i - 1], string.Join(" ", row));
        }
    }

    [Fact]
    public void HeReluDepth_GlorotShrinksBySqrt2PerLayer_HeDoesNot()
    {
        var result = new HeReluDepth().Run(Context(0.03));
        var rows = result.Tables[0].Rows;
        var glorot30 = rows.Single(r => r[0] == "30" && r[1] == "Glorot");
        var he30 = rows.Single(r => r[0] == "30" && r[1] == "He");
        Assert.InRange(Cell(glorot30[2]) / Cell(glorot30[3]), 0.1, 10); // within a decade of 2^{-14.5}
        Assert.InRange(Cell(he30[2]), 0.2, 5);
    }

    [Fact]
    public void DeepLinear_OrthogonalProductIsIsometric()
    {
        var result = new DeepLinear().Run(Context(0.02));
        Assert.Contains(result.Findings, f => f.StartsWith("Orthogonal init: every singular value", StringComparison.Ordinal));
        var chain = result.Tables[0].Rows;
        Assert.All(chain, r => Assert.Equal(r[3], r[2])); // engine = closed form, as printed
    }

    [Fact]
    public void JacobianProducts_GrowthRateMatchesGaussianPrediction()
    {
        Assert.Equal(-0.5772156649015329, JacobianProducts.Digamma(1), 1e-10);
        Assert.Equal(Math.Log(1.1) + 0.5 * (JacobianProducts.Digamma(10) + Math.Log(0.1)), JacobianProducts.Rate(1.1, 20), 1e-12);
        var result = new JacobianProducts().Run(Context(0.4));
        foreach (var table in result.Tables)
            foreach (var row in table.Rows)
            {
                // The L = 100 column: measured (predicted) within 15% or 0.5 decades.
                var parts = row[^1].Split(' ');
                double measured = Cell(parts[0]), predicted = Cell(parts[1].Trim('(', ')'));
                Assert.True(Math.Abs(measured - predicted) < Math.Max(0.5, 0.15 * Math.Abs(predicted)), $"{row[0]}: {row[^1]}");
            }
    }

    [Fact]
    public void GlorotBengio_NormalisedInitKeepsTanhGradientsCloserToConstant()
    {
        var result = new GlorotBengio().Run(Context(0.02));
        var rows = result.Tables[0].Rows;
        double standard = Cell(rows.Single(r => r[0] == "tanh" && r[1] == "standard")[2]);
        double normalised = Cell(rows.Single(r => r[0] == "tanh" && r[1] == "normalised")[2]);
        Assert.True(Math.Abs(Math.Log(normalised)) < Math.Abs(Math.Log(standard)), $"{standard} vs {normalised}");
    }
}
