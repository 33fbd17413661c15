using System.Globalization;
using Gradscope.Diagnosis;
using Gradscope.Experiments;
using Spectre.Console;

namespace Gradscope.Cli.Terminal;

/// <summary>Findings with their prescriptions, and verified prescriptions, on the terminal.</summary>
public static class FindingsView
{
    /// <summary>
    /// Each finding with the evidence, the mechanism and, for every remedy it names, the exact flags to type (from
    /// <see cref="RemedyRegistry"/>, computed for the run described by <paramref name="context"/>) and why.
    /// </summary>
    public static void Print(IReadOnlyList<Finding> findings, string subject, RemedyContext context, RunView? measured = null, bool atInit = false)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0)
        {
            Output.Line(NoFindings(subject, measured, atInit));
            return;
        }
        foreach (var f in findings)
        {
            var tries = f.Prescriptions.Count > 0
                ? f.Prescriptions.Select(p => $"{p.Flags}   # {p.Remedy}: {p.Reason}").ToList()
                : f.Remedies.Select(r => Try(r, context)).ToList();
            string colour = f.Severity switch { Severity.Critical => "red", Severity.Warning => "yellow", _ => "blue" };
            if (Output.Interactive)
            {
                string remedies = string.Concat(tries.Select(t => $"\n[bold]try:[/] {Markup.Escape(t)}"));
                var body = new Markup($"[bold]evidence:[/] {Markup.Escape(f.Evidence)}\n[bold]why:[/] {Markup.Escape(f.Explanation)}{remedies}");
                AnsiConsole.Write(new Panel(body).Header($"[{colour}]{f.Severity}[/]: {Markup.Escape(f.Title)}").BorderColor(Color.Grey));
            }
            else
            {
                Output.Line($"[{f.Severity}] {f.Title}");
                Output.Line($"  evidence: {f.Evidence}");
                Output.Line($"  why: {f.Explanation}");
                foreach (string t in tries) Output.Line($"  try: {t}");
            }
        }
    }

    /// <summary>
    /// What an empty diagnosis means, from what was measured: "no problems found at init; speed of learning, first
    /// hidden ÷ last hidden layer: 1/1.3", or "nothing to judge" when the run recorded no gradient at all.
    /// </summary>
    public static string NoFindings(string subject, RunView? measured, bool atInit)
    {
        if (measured is null || !measured.Has(measured.SpeedQuantity))
            return $"{subject}: nothing to judge — no gradient was measured (--probes none measures none).";
        string speeds = atInit
            ? $"speed of learning, {SpeedRatio.Name} layer: {measured.Ratio(atEnd: false)}"
            : RunTables.RatioLine(measured);
        return $"{subject}: no problems found{(atInit ? " at init" : "")}; {speeds}.";
    }

    /// <summary><c>--activation relu --init he-normal --eta 0.05   # relu-he: ReLU hidden units …</c></summary>
    public static string Try(string remedy, RemedyContext context)
    {
        if (!RemedyRegistry.Contains(remedy)) return remedy;
        var r = RemedyRegistry.For(remedy, context);
        return $"{r.Flags}   # {r.Name}: {r.Reason}{(r.Parameter is null ? "" : $" ({r.Parameter})")}";
    }

    public static void PrintVerification(VerifiedPrescription baseline, IReadOnlyList<VerifiedPrescription> results)
    {
        var rows = results.Prepend(baseline).ToList();
        // A regression spec scores R², not accuracy (every run here fits the same data).
        bool regression = double.IsFinite(baseline.RSquared) || rows.Any(r => double.IsFinite(r.RSquared));
        // The flags and the whole spec follow the table line by line, so a narrow terminal may leave them out of it.
        // A recurrent net's remedies act through time: its first ÷ last step ratio is shown, and the layers' ratio is
        // left out where no row has one (a net of one hidden layer).
        bool throughTime = rows.Any(r => double.IsFinite(r.TimeRatio)), layers = !throughTime || rows.Any(r => double.IsFinite(r.FirstToLastRatio));
        var table = new FittedTable("prescriptions verified by running them (same seed, data and budget)")
            .AddColumn("prescription", wrap: true).AddColumn("flags", 2, wrap: true).AddColumn("η", 4);
        if (layers) table.AddColumn($"{SpeedRatio.Name} (end)", 5);
        if (throughTime) table.AddColumn("‖∂C/∂h_1‖/‖∂C/∂h_T‖ (end)", 6);
        table.AddColumn("cost", 3).AddColumn(regression ? "R²" : "accuracy").AddColumn("verdict", wrap: true).AddColumn("seconds", 1);
        foreach (var r in rows)
            table.AddRow([r.Name, r.Flags.Length == 0 ? "—" : r.Flags, Text(r.Spec.Training.Eta),
                .. layers ? [Numbers.Ratio(r.FirstToLastRatio)] : Array.Empty<string>(), .. throughTime ? [Output.Sci(r.TimeRatio)] : Array.Empty<string>(),
                Output.Sci(r.Cost), RunView.ScoreCell(regression ? r.RSquared : r.Accuracy, regression), r.Verdict, r.Seconds.ToString("0.0", CultureInfo.InvariantCulture)]);
        AnsiConsole.Write(table);
        Output.Line("each ran with:");
        foreach (var r in rows) Output.Line($"  {r.Name}: {SpecLine(r.Spec)}");
    }

    /// <summary>The spec a verification ran with, in one line (<see cref="Verification.SpecLine"/>).</summary>
    public static string SpecLine(ExperimentSpec spec) => Verification.SpecLine(spec);

    private static string Text(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
