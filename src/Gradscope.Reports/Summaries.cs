
namespace Gradscope.Reports;

/// <summary>One row of the report's per-layer table.</summary>
public sealed record LayerSummary(int Layer, int Units, string Activation, double SpeedAtInit, double SpeedAtEnd,
    double DeltaNorm, double Gain, double WeightFactor, double ActivationFactor, double Saturated, double Dead);

/// <summary>Per-layer numbers and the one-line verdict of a run, from its record alone.</summary>
public static class Summaries
{
    /// <summary>
    /// Every weight layer l = 1…L: speed of learning at init and at the end, and at the end ‖δ^l‖, the gain and
    /// its factors (geometric means over the last measured steps), saturated and dead fractions (means). NaN
    /// where the run did not measure a quantity.
    /// </summary>
    public static IReadOnlyList<LayerSummary> Layers(RunRecord run) =>
        Layers(new RunIndex(run ?? throw new ArgumentNullException(nameof(run))));

    internal static IReadOnlyList<LayerSummary> Layers(RunIndex index)
    {
        var run = index.Run;
        string speed = index.SpeedQuantity;
        return Enumerable.Range(1, index.Depth).Select(l => new LayerSummary(
            l, run.Info.Layer(l).Units, run.Info.Layer(l).Activation ?? "not measured",
            index.At(speed, l, end: false), index.At(speed, l, end: true),
            index.At(Quantity.DeltaNorm, l, end: true), index.At(Quantity.Gain, l, end: true),
            index.At(Quantity.WeightFactor, l, end: true), index.At(Quantity.ActivationFactor, l, end: true),
            index.At(Quantity.SaturatedFraction, l, end: true, geometric: false), index.At(Quantity.DeadFraction, l, end: true, geometric: false))).ToList();
    }

    /// <summary>
    /// A one-line reading of the run for a report header, e.g. "First-layer speed of learning is 1/40 of the last
    /// hidden layer's at init, 1/12 at the end."
    /// </summary>
    public static string Verdict(RunRecord run) => Verdict(new RunIndex(run ?? throw new ArgumentNullException(nameof(run))));

    internal static string Verdict(RunIndex index)
    {
        var run = index.Run;
        double init = SpeedRatio(index, end: false), end = SpeedRatio(index, end: true);
        if (!double.IsFinite(init) && !double.IsFinite(end))
            return index.Has(index.SpeedQuantity)
                ? "Speed of learning cannot be compared across layers: its measurements are not finite."
                : "No speed-of-learning measurements were recorded.";
        string last = index.Depth > 2 ? "the last hidden layer's" : "the output layer's";
        string Describe(double r) => r > 0.9 && r < 1.1 ? "about equal to" : $"{Format.Ratio(r)} of";
        if (!double.IsFinite(end) || run.Epochs.Count <= 1) return $"First-layer speed of learning is {Describe(init)} {last} at init.";
        return $"First-layer speed of learning is {Describe(init)} {last} at init, and {Describe(end)} it at the end.";
    }

    /// <summary>Speed of learning of layer 1 over that of the last hidden layer (the output layer when there is one hidden layer).</summary>
    internal static double SpeedRatio(RunIndex index, bool end)
    {
        if (index.Depth < 2) return double.NaN;
        int last = index.Depth > 2 ? index.Depth - 1 : index.Depth;
        double first = index.At(index.SpeedQuantity, 1, end), other = index.At(index.SpeedQuantity, last, end);
        return other > 0 ? first / other : double.NaN;
    }
}
