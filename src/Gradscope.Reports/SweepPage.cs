using System.Text;
using static Gradscope.Reports.HtmlPage;

namespace Gradscope.Reports;

/// <summary>The HTML report of a sweep: the two heatmaps over its axes and a table of every configuration.</summary>
internal static class SweepPage
{
    public static string Render(SweepRecord sweep)
    {
        var page = new HtmlPage();
        var cells = sweep.Cells;
        int failed = cells.Count(c => !c.Run.IsComplete);
        string axes = sweep.RowAxis.Length > 0 ? $"{sweep.RowAxis} × {sweep.ColumnAxis}" : sweep.ColumnAxis;
        page.Raw($"""
            <header class="hero">
              <div class="eyebrow">Gradscope sweep report</div>
              <h1>{E(sweep.Name)}</h1>
              <p class="verdict">{E(Verdict(sweep))}</p>
              <div class="chips"><span class="chip">{Numbers.Count(cells.Count, "run")}</span>{(axes.Length > 0 ? $"<span class=\"chip\">{E(axes)}</span>" : "")}{(failed > 0 ? $"<span class=\"chip\">{failed} not complete</span>" : "")}</div>
            </header>

            """);
        if (sweep.Missing.Count > 0)
            page.Raw($"<section class=\"alert\" role=\"alert\"><h2>⚠ {Numbers.Count(sweep.Missing.Count, "configuration")} could not be read</h2><pre>{E(string.Join("\n", sweep.Missing))}</pre></section>\n");
        if (cells.Count > 0)
        {
            page.Raw("<h2>Heatmaps</h2>\n");
            page.Figure(new ReportFigure("speed-ratio", $"Speed of learning, {SpeedRatio.Name} layer, at end",
                "log₁₀ of the ratio at the last step of each run: 0 means equal speeds, −2 (blue) a first hidden layer learning 100 times slower than the last hidden layer (vanishing gradients), +2 (orange) 100 times faster (exploding).",
                SweepFigures.SpeedRatioHeatmap(cells, sweep.RowAxis, sweep.ColumnAxis), FigureStyle.Width, FigureStyle.Height));
            page.Figure(new ReportFigure("final-accuracy", "Final accuracy",
                "Test accuracy after the last epoch (train accuracy where a run had no test set).",
                SweepFigures.FinalAccuracyHeatmap(cells, sweep.RowAxis, sweep.ColumnAxis), FigureStyle.Width, FigureStyle.Height));
        }
        page.Raw(ConfigTable(sweep));
        return page.Build($"{sweep.Name} — Gradscope sweep report");
    }

    private static string Verdict(SweepRecord sweep)
    {
        var scored = sweep.Cells.Select(c => (Cell: c, Accuracy: new RunView(c.Run).FinalAccuracy)).Where(x => double.IsFinite(x.Accuracy)).ToList();
        if (scored.Count == 0) return $"{sweep.Cells.Count} runs; none recorded an accuracy.";
        var best = scored.MaxBy(x => x.Accuracy);
        return $"Best final accuracy {Format.Percent(best.Accuracy)} with {Describe(best.Cell, sweep)}; worst {Format.Percent(scored.Min(x => x.Accuracy))}.";
    }

    private static string Describe(SweepCell cell, SweepRecord sweep) =>
        sweep.RowAxis.Length > 0 ? $"{sweep.RowAxis} = {cell.Row}, {sweep.ColumnAxis} = {cell.Column}" : $"{sweep.ColumnAxis} = {cell.Column}";

    private static string ConfigTable(SweepRecord sweep)
    {
        var names = sweep.Entries.SelectMany(e => e.Params.Keys).Distinct().ToList();
        var byDir = sweep.Cells.ToDictionary(c => Path.GetFullPath(c.Run.Directory).TrimEnd(Path.DirectorySeparatorChar));
        var sb = new StringBuilder("<h2>Configurations</h2>\n<div class=\"card table\"><table>\n<tr><th class=\"l\">run</th>");
        foreach (string n in names) sb.Append($"<th class=\"l\">{E(n)}</th>");
        sb.Append($"<th class=\"l\">status</th><th>final accuracy</th><th>{E(SpeedRatio.Name)} at init</th><th>{E(SpeedRatio.Name)} at end</th></tr>\n");
        foreach (var entry in sweep.Entries)
        {
            string dir = Path.GetFullPath(Path.Combine(sweep.Directory, entry.Dir)).TrimEnd(Path.DirectorySeparatorChar);
            sb.Append("<tr><td class=\"l\">");
            // A relative link into the run's own report, when one has been written; never an absolute URL.
            if (File.Exists(Path.Combine(dir, RunFiles.Report))) sb.Append($"<a href=\"{E(Uri.EscapeDataString(entry.Dir.Trim('/')))}/{RunFiles.Report}\">{E(entry.Dir)}</a>");
            else sb.Append(E(entry.Dir));
            sb.Append("</td>");
            foreach (string n in names) sb.Append($"<td class=\"l\">{E(entry.Params.GetValueOrDefault(n, ""))}</td>");
            if (byDir.TryGetValue(dir, out var cell))
            {
                var view = new RunView(cell.Run);
                sb.Append($"<td class=\"l\"><span class=\"badge {E(cell.Run.Info.Status)}\">{E(cell.Run.Info.Status)}</span></td>")
                  .Append($"<td>{E(Format.Percent(view.FinalAccuracy))}</td>")
                  .Append($"<td>{E(view.Ratio(atEnd: false).ToString())}</td>")
                  .Append($"<td>{E(view.Ratio(atEnd: true).ToString())}</td>");
            }
            else sb.Append("<td class=\"l\"><span class=\"badge missing\">missing</span></td><td>–</td><td>–</td><td>–</td>");
            sb.Append("</tr>\n");
        }
        return sb.Append("</table></div>\n").ToString();
    }
}
