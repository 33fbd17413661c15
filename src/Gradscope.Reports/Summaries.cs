
namespace Gradscope.Reports;

/// <summary>The one-line verdict of a run for a report header, from its <see cref="RunView"/>.</summary>
public static class Summaries
{
    /// <summary>The per-layer table's rows (<see cref="RunView.Rows"/>).</summary>
    public static IReadOnlyList<LayerRow> Layers(RunRecord run) => new RunView(run ?? throw new ArgumentNullException(nameof(run))).Rows();

    /// <summary>
    /// E.g. "Speed of learning, first hidden ÷ last hidden layer: 1/30 at init, 1/12 at end." — the same ratio, in the
    /// same words and digits, as every other view of the run.
    /// </summary>
    public static string Verdict(RunRecord run) => Verdict(new RunView(run ?? throw new ArgumentNullException(nameof(run))));

    public static string Verdict(RunView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!view.Has(view.SpeedQuantity)) return "No speed-of-learning measurements were recorded.";
        SpeedRatio init = view.Ratio(atEnd: false), end = view.Ratio(atEnd: true);
        if (!init.IsFinite && !end.IsFinite) return $"No {SpeedRatio.Name} speed ratio: {init.Reason ?? end.Reason}.";
        bool trained = view.EndStep(view.SpeedQuantity, 1) > view.Records(view.SpeedQuantity, 1)[0].Step;
        string head = $"Speed of learning, {SpeedRatio.Name} layer: {init} at init";
        return trained ? $"{head}, {end} at end." : $"{head}.";
    }
}
