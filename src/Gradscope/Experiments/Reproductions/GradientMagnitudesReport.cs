using System.Globalization;
using Gradscope.Numerics;

namespace Gradscope.Experiments.Reproductions;

/// <summary>Tables, numbers, figures and findings of <see cref="GradientMagnitudes"/>, all computed from its measurements.</summary>
public static class GradientMagnitudesReport
{
    private static readonly string[] Components = ["between layers", "between steps", "within layer", "SGD noise"];

    public static ReproResult Result(string name, IReadOnlyList<MagnitudeCell> cells, IReadOnlyList<NoiseScaling> scaling, IReadOnlyList<UpdateSpread> spreads,
        int referenceSize, int steps, int draws, int perLayer)
    {
        var tables = new List<ReproTable>
        {
            new("variance of log₁₀|∂C/∂w| by source (decades²), SGD η=0.05",
                ["net", "batch", .. Components, "total", "offset from g_ref", "zero"],
                [.. cells.Select(c => new[] { c.Net, Batch(c), F(c.Components.BetweenLayers), F(c.Components.BetweenSteps), F(c.Components.WithinLayer), F(c.Components.Noise), F(c.Components.Total), F(c.ReferenceBias), Numbers.Percent(c.ZeroFraction) })],
                $"{referenceSize} reference examples; {steps} steps per run; 6 sampled steps; {draws} mini-batches per sampled step at the same weights; " +
                $"up to {perLayer} sampled weights per layer. Exactly-zero mini-batch gradients are left out of the logs (column 'zero')."),
            new("SGD noise against batch size at the same weights (the B=10 runs)",
                ["net", "B", "E(g_B − g_ref)² / E(g_1 − g_ref)²", "(N−B)/(B(N−1))", "noise of log₁₀|g_B| (decades²)"],
                [.. scaling.Select(s => new[] { s.Net, I(s.Batch), F(s.RelativeVariance), F(s.Predicted), F(s.LogNoise) })],
                "The variance of a mean of B examples drawn without replacement from N falls as (N−B)/(B(N−1)): 1/B with the finite-population correction."),
            new("spread of update magnitudes log₁₀(|Δw|/η) over sampled weights and every step, B=10 (decades²)",
                ["net", "optimiser", "between layers", "between steps", "within layer", "total", "10–90% range (decades)"],
                [.. spreads.Select(s => new[] { s.Net, s.Optimizer, F(s.Components.BetweenLayers), F(s.Components.BetweenSteps), F(s.Components.WithinLayer), F(s.Components.Total), F(s.Range) })],
                "SGD η=0.05 (|Δw|/η = |g|); RMSProp η=0.001, decay 0.9, Δw = −η g/(√MeanSquare + ε)."),
        };
        return new ReproResult(name, "Hinton, Srivastava & Swersky, Neural Networks for Machine Learning, lecture 6e (Coursera, 2012)", tables,
            Findings(cells, scaling, spreads), [], Values(cells, scaling, spreads), Figures(cells, spreads));
    }

    public static IReadOnlyList<ReproValue> Values(IReadOnlyList<MagnitudeCell> cells, IReadOnlyList<NoiseScaling> scaling, IReadOnlyList<UpdateSpread> spreads)
    {
        var values = new List<ReproValue>();
        foreach (var c in cells)
        {
            string p = $"{c.Net}/B={Batch(c)}/";
            values.Add(new(p + "between-layers", c.Components.BetweenLayers, "decades²"));
            values.Add(new(p + "between-steps", c.Components.BetweenSteps, "decades²"));
            values.Add(new(p + "within-layer", c.Components.WithinLayer, "decades²"));
            values.Add(new(p + "noise", c.Components.Noise, "decades²"));
            values.Add(new(p + "total", c.Components.Total, "decades²"));
            values.Add(new(p + "offset-from-reference", c.ReferenceBias, "decades²"));
            values.Add(new(p + "zero-fraction", c.ZeroFraction, "fraction"));
        }
        foreach (var s in scaling)
        {
            values.Add(new($"{s.Net}/scaling/B={I(s.Batch)}/relative-variance", s.RelativeVariance, "ratio to B=1"));
            values.Add(new($"{s.Net}/scaling/B={I(s.Batch)}/predicted", s.Predicted, "ratio to B=1"));
            values.Add(new($"{s.Net}/scaling/B={I(s.Batch)}/log-noise", s.LogNoise, "decades²"));
        }
        foreach (var s in spreads)
        {
            values.Add(new($"{s.Net}/{s.Optimizer}/update-spread", s.Components.Total, "decades²"));
            values.Add(new($"{s.Net}/{s.Optimizer}/update-between-layers", s.Components.BetweenLayers, "decades²"));
            values.Add(new($"{s.Net}/{s.Optimizer}/update-range", s.Range, "decades"));
        }
        return values;
    }

    public static IReadOnlyList<ReproFigure> Figures(IReadOnlyList<MagnitudeCell> cells, IReadOnlyList<UpdateSpread> spreads) =>
    [
        new("variance of log₁₀|∂C/∂w| by source, per net and batch size", "decades²", Components,
            [.. cells.Select(c => new ReproBar($"{c.Net} B={Batch(c)}", [c.Components.BetweenLayers, c.Components.BetweenSteps, c.Components.WithinLayer, c.Components.Noise]))]),
        new("spread of update magnitudes log₁₀(|Δw|/η): SGD vs RMSProp", "decades²", Components[..3],
            [.. spreads.Select(s => new ReproBar($"{s.Net} {s.Optimizer}", [s.Components.BetweenLayers, s.Components.BetweenSteps, s.Components.WithinLayer]))]),
    ];

    /// <summary>What the numbers say; every sentence is chosen by comparing measured values.</summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<MagnitudeCell> cells, IReadOnlyList<NoiseScaling> scaling, IReadOnlyList<UpdateSpread> spreads)
    {
        var findings = new List<string>();
        foreach (var group in cells.GroupBy(c => c.Net))
        {
            var smallest = group.MinBy(c => c.Batch)!;
            var full = group.MaxBy(c => c.Batch)!;
            findings.Add($"{group.Key}: at B={Batch(smallest)} the largest source of spread in log₁₀|∂C/∂w| is {Largest(smallest.Components)} " +
                $"(of {F(smallest.Components.Total)} decades²); at B={Batch(full)} it is {Largest(full.Components)} (of {F(full.Components.Total)}).");
            var noisy = group.Where(c => !c.FullBatch).OrderBy(c => c.Batch).ToList();
            if (noisy.Count >= 2)
            {
                double first = noisy[0].Components.Noise, last = noisy[^1].Components.Noise;
                findings.Add($"{group.Key}: SGD noise in log magnitude {(last < first ? "shrinks" : "does not shrink")} as the batch grows: " +
                    $"{F(first)} decades² at B={noisy[0].Batch}, {F(last)} at B={noisy[^1].Batch}, 0 at the full batch.");
            }
        }
        foreach (var group in scaling.GroupBy(s => s.Net))
        {
            var largest = group.MaxBy(s => s.Batch)!;
            if (largest.Batch == 1) continue;
            double factor = largest.RelativeVariance / largest.Predicted;
            string verdict = factor is > 0.67 and < 1.5 ? "as 1/B (with the finite-population correction) predicts" : $"a factor {F(factor)} off the 1/B prediction";
            findings.Add($"{group.Key}: the variance of the mini-batch gradient around g_ref at B={largest.Batch} is {F(largest.RelativeVariance)} of B=1's, " +
                $"{verdict} ({F(largest.Predicted)}); in log magnitude the noise falls from {F(group.MinBy(s => s.Batch)!.LogNoise)} to {F(largest.LogNoise)} decades².");
        }
        double Mean(string net, Func<VarianceComponents, double> part) => cells.Where(c => c.Net == net).Select(c => part(c.Components)).DefaultIfEmpty(double.NaN).Average();
        double sigmoidLayers = Mean("sigmoid", c => c.BetweenLayers), reluLayers = Mean("relu", c => c.BetweenLayers);
        if (double.IsFinite(sigmoidLayers) && double.IsFinite(reluLayers))
            findings.Add($"Between layers (depth): {F(sigmoidLayers)} decades² for sigmoid against {F(reluLayers)} for ReLU + He (mean over batch sizes): " +
                (sigmoidLayers > 2 * reluLayers ? "the vanishing product of σ' makes depth a large source for sigmoid and a small one for ReLU + He."
                : sigmoidLayers > reluLayers ? "larger for sigmoid, but by less than a factor 2." : "not larger for sigmoid than for ReLU + He here."));
        if (cells.Count > 0)
        {
            var least = cells.MinBy(c => c.Components.WithinLayer)!;
            double share = cells.Min(c => c.Components.Total > 0 ? c.Components.WithinLayer / c.Components.Total : 0);
            findings.Add($"Within a layer, weights differ by at least {F(least.Components.WithinLayer)} decades² at every net and batch size " +
                $"({least.Net}, B={Batch(least)}; never less than {Numbers.Percent(share)} of the total): {(share >= 0.2 ? "a spread no batch size removes" : "small in some settings")}.");
        }
        foreach (var group in spreads.GroupBy(s => s.Net))
        {
            var sgd = group.FirstOrDefault(s => s.Optimizer == "sgd");
            var rms = group.FirstOrDefault(s => s.Optimizer == "rmsprop");
            if (sgd is null || rms is null) continue;
            bool narrower = rms.Components.Total < sgd.Components.Total;
            findings.Add($"{group.Key}: RMSProp (decay 0.9) {(narrower ? "narrows" : "does not narrow")} the spread of update magnitudes |Δw|/η: " +
                $"{F(sgd.Components.Total)} → {F(rms.Components.Total)} decades² (10–90% range {F(sgd.Range)} → {F(rms.Range)} decades; between layers {F(sgd.Components.BetweenLayers)} → {F(rms.Components.BetweenLayers)}).");
        }
        return findings;
    }

    private static string Largest(VarianceComponents c)
    {
        double[] parts = [c.BetweenLayers, c.BetweenSteps, c.WithinLayer, c.Noise];
        int best = Array.IndexOf(parts, parts.Max());
        return Components[best];
    }

    private static string Batch(MagnitudeCell c) => c.FullBatch ? $"{I(c.Batch)} (full)" : I(c.Batch);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value) => Numbers.Column(value, 3);
}
