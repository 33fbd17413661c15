using Gradscope.Numerics;

namespace Gradscope.Tests.Numerics;

/// <summary>The nested ANOVA against a brute-force twin and against synthetic magnitudes with known components.</summary>
public sealed class VarianceDecompositionTests
{
    /// <summary>y = a_l + b_lt + c_ltw + e_ltwk with independent normal terms of the given standard deviations.</summary>
    private static List<MagnitudeSample> Synthetic(ulong seed, double sa, double sb, double sc, double se, int layers, int steps, int weights, int draws, bool ragged = false)
    {
        var rng = new Rng(seed);
        var samples = new List<MagnitudeSample>();
        for (int l = 1; l <= layers; l++)
        {
            double a = rng.Normal(-3, sa);
            for (int t = 0; t < steps; t++)
            {
                double b = rng.Normal(0, sb);
                for (int w = 0; w < weights; w++)
                {
                    double c = rng.Normal(0, sc);
                    int k = ragged ? 1 + rng.NextInt(draws) : draws;
                    for (int d = 0; d < k; d++) samples.Add(new MagnitudeSample(l, t, w, a + b + c + rng.Normal(0, se)));
                }
            }
        }
        return samples;
    }

    /// <summary>Brute force: each observation replaced by its group's mean, computed by LINQ grouping, then plain variances.</summary>
    private static (double Layers, double Steps, double Within, double Noise, double Total) Naive(List<MagnitudeSample> s)
    {
        double grand = s.Average(x => x.Log);
        var layer = s.GroupBy(x => x.Layer).ToDictionary(g => g.Key, g => g.Average(x => x.Log));
        var step = s.GroupBy(x => (x.Layer, x.Step)).ToDictionary(g => g.Key, g => g.Average(x => x.Log));
        var cell = s.GroupBy(x => (x.Layer, x.Step, x.Weight)).ToDictionary(g => g.Key, g => g.Average(x => x.Log));
        double Var(Func<MagnitudeSample, double> d) => s.Sum(x => d(x) * d(x)) / s.Count;
        return (Var(x => layer[x.Layer] - grand), Var(x => step[(x.Layer, x.Step)] - layer[x.Layer]),
            Var(x => cell[(x.Layer, x.Step, x.Weight)] - step[(x.Layer, x.Step)]), Var(x => x.Log - cell[(x.Layer, x.Step, x.Weight)]), Var(x => x.Log - grand));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Of_AnyDesign_MatchesNaiveTwinAndSumsToTotalVariance(bool ragged)
    {
        var samples = Synthetic(7, 1.5, 0.4, 0.8, 0.6, 5, 6, 30, 8, ragged);
        var c = VarianceDecomposition.Of(samples);
        var naive = Naive(samples);
        Assert.Equal(naive.Layers, c.BetweenLayers, 1e-9);
        Assert.Equal(naive.Steps, c.BetweenSteps, 1e-9);
        Assert.Equal(naive.Within, c.WithinLayer, 1e-9);
        Assert.Equal(naive.Noise, c.Noise, 1e-9);
        Assert.Equal(naive.Total, c.Total, 1e-9);
        Assert.Equal(samples.Count, c.Count);
    }

    [Fact]
    public void Of_KnownComponents_RecoversEachWithinSamplingError()
    {
        // Components are population variances, so each expectation carries the (n−1)/n of its group size and the
        // lower factors leak in divided by the group size: E Noise = σe²(K−1)/K, E WithinLayer = (σc² + σe²/K)(W−1)/W,
        // E BetweenSteps = (σb² + σc²/W + σe²/WK)(T−1)/T, E BetweenLayers ≈ σa² + σb²/T + … (400 layers: ±0.07).
        var c = VarianceDecomposition.Of(Synthetic(11, 1.0, 0.5, 0.7, 0.3, 400, 20, 20, 4));
        Assert.Equal(1.0 + 0.25 / 20, c.BetweenLayers, 0.2);
        Assert.Equal((0.25 + 0.49 / 20 + 0.09 / 80) * 19 / 20, c.BetweenSteps, 0.01);
        Assert.Equal((0.49 + 0.09 / 4) * 19 / 20, c.WithinLayer, 0.01);
        Assert.Equal(0.09 * 3 / 4, c.Noise, 0.003);
    }

    [Fact]
    public void Of_NoRepeatedDraws_HasNoNoise()
    {
        var c = VarianceDecomposition.Of(Synthetic(3, 1, 1, 1, 1, 3, 3, 10, 1));
        Assert.Equal(0, c.Noise);
        Assert.True(c.WithinLayer > 0);
    }

    [Fact]
    public void Of_NonFiniteLog_NamesTheSample()
    {
        var e = Assert.Throws<ArgumentException>(() => VarianceDecomposition.Of([new MagnitudeSample(2, 5, 9, double.NegativeInfinity)]));
        Assert.Contains("layer 2, step 5, weight 9", e.Message);
    }
}
