using Gradscope.Diagnosis;
using Spectre.Console;

namespace Gradscope.Cli.Terminal;

/// <summary>Findings and verified prescriptions on the terminal.</summary>
public static class FindingsView
{
    public static void Print(IReadOnlyList<Finding> findings, string subject)
    {
        if (findings.Count == 0)
        {
            Output.Line($"{subject}: no problems found — gradients reach every layer at comparable rates.");
            return;
        }
        foreach (var f in findings)
        {
            string colour = f.Severity switch { Severity.Critical => "red", Severity.Warning => "yellow", _ => "blue" };
            string remedies = f.Remedies.Count == 0 ? "" : $"\n[bold]try:[/] {Markup.Escape(string.Join(" · ", f.Remedies.Select(r => Prescription.All.TryGetValue(r, out var p) ? $"{r} ({p.Description})" : r)))}";
            var body = new Markup($"[bold]evidence:[/] {Markup.Escape(f.Evidence)}\n[bold]why:[/] {Markup.Escape(f.Explanation)}{remedies}");
            if (Output.Interactive)
                AnsiConsole.Write(new Panel(body).Header($"[{colour}]{f.Severity}[/]: {Markup.Escape(f.Title)}").BorderColor(Color.Grey));
            else
            {
                Output.Line($"[{f.Severity}] {f.Title}");
                Output.Line($"  evidence: {f.Evidence}");
                Output.Line($"  why: {f.Explanation}");
                if (f.Remedies.Count > 0) Output.Line($"  try: {string.Join(", ", f.Remedies)}");
            }
        }
    }

    public static void PrintVerification(VerifiedPrescription baseline, IReadOnlyList<VerifiedPrescription> results)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("prescriptions verified by running them (same seed, data and budget)");
        table.AddColumns("prescription", "L1 ÷ last hidden", "cost", "accuracy", "verdict", "seconds");
        foreach (var r in results.Prepend(baseline))
            table.AddRow(Markup.Escape(r.Name), Output.Sci(r.FirstToLastRatio), Output.Sci(r.Cost), Output.Percent(r.Accuracy),
                Markup.Escape(r.Verdict), r.Seconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }
}
