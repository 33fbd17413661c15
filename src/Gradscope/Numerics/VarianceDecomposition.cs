namespace Gradscope.Numerics;

/// <summary>
/// A nested one-way ANOVA of log magnitudes, layer ⊃ step ⊃ weight ⊃ draw:
/// y − ȳ = (ȳ_l − ȳ) + (ȳ_lt − ȳ_l) + (ȳ_ltw − ȳ_lt) + (y − ȳ_ltw). Each mean is the count-weighted mean of its
/// observations, so every term sums to zero within its parent and the cross products vanish: the four sums of
/// squares add up to the total exactly even when cells hold different numbers of draws (an unbalanced design).
/// Components are population variances (sums of squares over the observation count), in decades² for log₁₀ data.
/// </summary>
public static class VarianceDecomposition
{
    public static VarianceComponents Of(IReadOnlyCollection<MagnitudeSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) return VarianceComponents.Empty;
        var layers = new Dictionary<int, Moments>();
        var steps = new Dictionary<(int, int), Moments>();
        var cells = new Dictionary<(int, int, int), Moments>();
        var all = new Moments();
        foreach (var s in samples)
        {
            if (!double.IsFinite(s.Log)) throw new ArgumentException($"Log magnitude {s.Log} of layer {s.Layer}, step {s.Step}, weight {s.Weight} is not finite.", nameof(samples));
            all.Add(s.Log);
            Add(layers, s.Layer, s.Log);
            Add(steps, (s.Layer, s.Step), s.Log);
            Add(cells, (s.Layer, s.Step, s.Weight), s.Log);
        }
        // Sums of squares from the group moments: Σ_g n_g (ȳ_g − ȳ_parent)², computed as differences of the
        // within-group sums of squares, each of which is accumulated by Welford's update so no large sums cancel.
        double total = all.Squares;
        double withinLayers = layers.Values.Sum(m => m.Squares);
        double withinSteps = steps.Values.Sum(m => m.Squares);
        double withinCells = cells.Values.Sum(m => m.Squares);
        double n = all.Count;
        return new VarianceComponents(
            Math.Max(0, total - withinLayers) / n,
            Math.Max(0, withinLayers - withinSteps) / n,
            Math.Max(0, withinSteps - withinCells) / n,
            withinCells / n,
            all.Count);
    }

    private static void Add<TKey>(Dictionary<TKey, Moments> groups, TKey key, double y) where TKey : notnull
    {
        if (!groups.TryGetValue(key, out var m)) groups[key] = m = new Moments();
        m.Add(y);
    }

    /// <summary>Welford's running mean and sum of squared deviations.</summary>
    private sealed class Moments
    {
        public long Count;
        public double Mean;
        public double Squares;

        public void Add(double y)
        {
            Count++;
            double d = y - Mean;
            Mean += d / Count;
            Squares += d * (y - Mean);
        }
    }
}
