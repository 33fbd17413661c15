using System.Globalization;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// <c>reproduce remedies</c>: Nielsen's 4-hidden-layer sigmoid net (and a 10-hidden-layer one) trained for a fixed
/// budget with each tuned remedy of <see cref="RemedyRegistry"/> (run by <see cref="Remedies"/>): the flags and η each
/// ran with, the speed ratio (first hidden ÷ last hidden), cost, accuracy, wall time.
/// </summary>
public sealed class RemediesReproduction : Reproduction
{
    public override string Name => "remedies";
    public override string Description => "Each remedy on Nielsen's 4- and 10-hidden-layer sigmoid nets for one budget: speed-of-learning balance, cost, accuracy, time.";

    public override ReproResult Run(ReproContext context)
    {
        var (train, test) = context.Sample(10_000, 2_000);
        var budget = new RemedyBudget { Seed = context.Seed };
        var results = Remedies.Run(train, test, budget, context.Progress);
        var rows = results.Select(r => new[]
        {
            r.Remedy, r.Eta.ToString("G3", CultureInfo.InvariantCulture), r.HiddenLayers.ToString(CultureInfo.InvariantCulture), Numbers.Ratio(r.SpeedRatioStart), Numbers.Ratio(r.SpeedRatioEnd),
            F(r.Cost), Percent(r.Accuracy), r.Seconds.ToString("0.0", CultureInfo.InvariantCulture), r.Status,
        }).ToList();
        var findings = new List<string>();
        var values = results.SelectMany(r => new ReproValue[]
        {
            new($"{r.Remedy}/{r.HiddenLayers}-hidden/eta", r.Eta, "η"),
            new($"{r.Remedy}/{r.HiddenLayers}-hidden/speed-ratio-at-init", r.SpeedRatioStart, "first hidden ÷ last hidden"),
            new($"{r.Remedy}/{r.HiddenLayers}-hidden/speed-ratio-at-end", r.SpeedRatioEnd, "first hidden ÷ last hidden"),
            new($"{r.Remedy}/{r.HiddenLayers}-hidden/test-cost", r.Cost, "cost"),
            new($"{r.Remedy}/{r.HiddenLayers}-hidden/test-accuracy", r.Accuracy, "fraction"),
            new($"{r.Remedy}/{r.HiddenLayers}-hidden/seconds", r.Seconds, "s"),
        }).ToList();
        foreach (int hidden in results.Select(r => r.HiddenLayers).Distinct())
        {
            var group = results.Where(r => r.HiddenLayers == hidden && double.IsFinite(r.Cost)).OrderBy(r => r.Cost).ToList();
            var sgd = results.FirstOrDefault(r => r.HiddenLayers == hidden && r.Remedy == "sgd");
            if (group.Count == 0 || sgd is null) continue;
            findings.Add($"{hidden} hidden layers: best {group[0].Remedy} (accuracy {Percent(group[0].Accuracy)}, {SpeedRatio.Name} {Numbers.Ratio(group[0].SpeedRatioEnd)}) " +
                $"vs plain SGD {Percent(sgd.Accuracy)} ({Numbers.Ratio(sgd.SpeedRatioEnd)}); helped: {string.Join(", ", group.Where(r => r.Cost < sgd.Cost * 0.98).Select(r => r.Remedy))}.");
        }
        var table = new ReproTable($"remedies after one epoch of {train} digits (batch 10): speed of learning, {SpeedRatio.Name} layer, at init and at end",
            ["remedy", "η", "hidden", $"{SpeedRatio.Name} (init)", $"{SpeedRatio.Name} (end)", "test cost", "test accuracy", "seconds", "status"], rows,
            "Each remedy's η is the best of a small grid on the 4-hidden-layer net (docs/remedies.md), reused on the 10-hidden-layer net.");
        var flags = new ReproTable("each remedy: the flags it applies to the baseline (the registry's entry, as a user would type them)",
            ["remedy", "flags", "why"],
            [.. results.DistinctBy(r => r.Remedy).Select(r => new[] { r.Remedy, r.Flags, Remedies.RemedyOf(r.Remedy, r.HiddenLayers, budget).Reason })],
            "Baseline: [784, 30×hidden, 10] sigmoid, cross-entropy, scaled-normal init, η 0.1, batch 10, λ 0, one epoch (Nielsen ch. 5).");
        return new ReproResult(Name, "Nielsen ch. 5–6, Hinton's lecture 6e (RMSProp), Kingma & Ba 2015, You et al. 2017 (LARS), Ioffe & Szegedy 2015, He et al. 2016, Martens & Grosse 2015",
            [table, flags], findings, [], values);
    }
}
