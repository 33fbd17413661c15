using System.Globalization;

namespace Gradscope.Server;

/// <summary>
/// What the pages receive about runs, built from each run's <see cref="RunView"/> (every number) and run.json
/// (names, settings, status). Numbers meant for reading come formatted as every other view formats them
/// (<see cref="Numbers"/>); numbers meant for plotting come raw, with null for a missing or non-finite value.
/// </summary>
internal static class RunJson
{
    public static object ListItem(LiveRun run)
    {
        lock (run.Gate)
        {
            var info = run.Info;
            var view = run.View;
            var (verdict, severity) = Verdict(run);
            return new
            {
                id = run.Id,
                name = info.Name,
                status = info.Status,
                kind = info.Kind,
                sizes = string.Join("-", info.Sizes()),
                activation = info.Layers.FirstOrDefault()?.Activation ?? "–",
                optimizer = info.Setting("optimizer") ?? "sgd",
                eta = info.Setting("eta") ?? "–",
                verdict,
                severity,
                start = info.Start,
                seconds = Duration(info),
                lastStep = view.LastStep,
                records = run.RecordCount,
            };
        }
    }

    public static object Run(LiveRun run)
    {
        lock (run.Gate)
        {
            var info = run.Info;
            var view = run.View;
            var (verdict, severity) = Verdict(run);
            return new
            {
                id = run.Id,
                name = info.Name,
                kind = info.Kind,
                status = info.Status,
                failure = info.Failure,
                start = info.Start,
                seconds = Duration(info),
                sizes = string.Join("-", info.Sizes()),
                cost = info.Cost,
                data = $"{info.Data.Source} ({info.Data.Train} train / {info.Data.Test} test)",
                settings = info.Settings.Select(s => new { s.Name, s.Value }),
                depth = view.Depth,
                layerNames = Enumerable.Range(1, view.Depth).Select(view.LayerName),
                speedQuantity = view.SpeedQuantity,
                ratioInit = view.Ratio(atEnd: false).ToString(),
                ratioEnd = view.Ratio(atEnd: true).ToString(),
                ratioName = SpeedRatio.Name,
                verdict,
                severity,
                rows = view.Rows().Select(r => new
                {
                    r.Name, units = r.Units, r.Activation,
                    speedInit = Numbers.Short(r.SpeedAtInit), speedEnd = Numbers.Short(r.SpeedAtEnd),
                    delta = Numbers.Short(r.DeltaNorm), gain = Numbers.Short(r.Gain),
                    weightFactor = Numbers.Short(r.WeightFactor), activationFactor = Numbers.Short(r.ActivationFactor),
                    saturated = r.SaturationText, dead = Numbers.Percent(r.Dead),
                }),
                epochs = view.Epochs.Select(e => new
                {
                    e.Epoch, e.Step, trainCost = Downsample.Finite(e.TrainCost), trainAccuracy = Downsample.Finite(e.TrainAccuracy),
                    testCost = Downsample.Finite(e.TestCost), testAccuracy = Downsample.Finite(e.TestAccuracy),
                    // The run's headline score per epoch: accuracy, or R² for a regression run (what the page plots).
                    trainScore = Downsample.Finite(view.IsRegression ? e.TrainRSquared ?? double.NaN : e.TrainAccuracy),
                    testScore = Downsample.Finite(view.IsRegression ? e.TestRSquared ?? double.NaN : e.TestAccuracy),
                }),
                finalCost = Numbers.Short(view.FinalCost),
                finalAccuracy = Numbers.Percent(view.FinalAccuracy),
                scoreName = view.ScoreName,
                finalScore = view.FinalScoreText,
                diagnosed = run.Diagnosed,
                findings = run.Findings.Select(f => new { f.Kind, f.Severity, f.Title, f.Evidence, f.Explanation }),
                quantities = view.Series.Where(s => view.Records(s.Quantity, s.Layer) is { Count: > 0 } r && r[0].Values is null)
                    .GroupBy(s => s.Quantity).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new { quantity = g.Key, layers = g.Select(s => s.Layer).Order() }),
                histograms = view.Series.Where(s => s.Quantity is Quantity.WeightGradHistogram or Quantity.ActivationHistogram)
                    .GroupBy(s => s.Quantity).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new { quantity = g.Key, layers = g.Select(s => s.Layer).Order() }),
                throughTime = ThroughTime.Available(view),
                version = run.Version,
                lastStep = view.LastStep,
                records = run.RecordCount,
            };
        }
    }

    /// <summary>The doctor's worst finding when the run was diagnosed; otherwise the speed ratio as it stands.</summary>
    public static (string Text, string Severity) Verdict(LiveRun run)
    {
        if (run.Diagnosed)
            return run.Findings.Count > 0 ? (run.Findings[0].Title, run.Findings[0].Severity) : ("no problem found", "ok");
        var view = run.View;
        if (!view.Has(view.SpeedQuantity)) return ("no speed-of-learning measurements yet", "none");
        SpeedRatio init = view.Ratio(atEnd: false), end = view.Ratio(atEnd: true);
        if (!init.IsFinite && !end.IsFinite) return ($"no {SpeedRatio.Name} ratio: {init.Reason ?? end.Reason}", "none");
        string now = run.Info.Status == RunStatus.Running ? "now" : "at end";
        return ($"{SpeedRatio.Name}: {init} at init, {end} {now}", "none");
    }

    private static double? Duration(RunInfo info)
    {
        var end = info.End ?? (info.Status == RunStatus.Running ? DateTimeOffset.UtcNow : null);
        return end is { } e ? Math.Round((e - info.Start).TotalSeconds, 1) : null;
    }

    public static string Label(string quantity) => quantity switch
    {
        Quantity.ReferenceBiasGradNorm => "speed of learning ‖∂C/∂b‖ (reference set)",
        Quantity.BiasGradNorm => "speed of learning ‖∂C/∂b‖ (mini-batch)",
        Quantity.Gain => "backward gain ‖δ^l‖/‖δ^{l+1}‖",
        Quantity.DeltaNorm => "‖δ^l‖",
        _ => quantity.Replace('_', ' '),
    };

    public static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
