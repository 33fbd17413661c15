using System.Text;
using static Gradscope.Reports.HtmlPage;

namespace Gradscope.Reports;

/// <summary>
/// The HTML report of a sweep: the two heatmaps over its first two axes — one pair per value of every further axis,
/// so each configuration has a cell of its own — and a table of every configuration.
/// </summary>
internal static class SweepPage
{
    /// <summary>Pairs of heatmaps drawn at most; a page of more is not read.</summary>
    private const int MaxPanels = 12;

    public static string Render(SweepRecord sweep)
    {
        var page = new HtmlPage();
        var cells = sweep.Cells;
        int failed = cells.Count(c => !c.Run.IsComplete);
        string axes = string.Join(" × ", sweep.Axes);
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
            var panels = sweep.Panels();
            page.Raw(panels.Count == 1 ? "<h2>Heatmaps</h2>\n"
                : $"<h2>Heatmaps <small>{E(sweep.RowAxis)} × {E(sweep.ColumnAxis)}, one pair for each {E(string.Join(" × ", sweep.PanelAxes))} ({panels.Count})</small></h2>\n");
            // A random search over continuous values makes a panel per sample: the table below lists them all.
            for (int i = 0; i < Math.Min(panels.Count, MaxPanels); i++)
            {
                var panel = panels[i];
                string suffix = panel.Label.Length > 0 ? $" — {panel.Label}" : "", id = panels.Count > 1 ? $"-{i + 1}" : "";
                if (panel.Label.Length > 0) page.Raw($"<h3 class=\"panel\">{E(panel.Label)}</h3>\n");
                page.Figure(new ReportFigure("speed-ratio" + id, $"Speed of learning, {SpeedRatio.Name} layer, at end{suffix}",
                    "log₁₀ of the ratio at the last step of each run: 0 means equal speeds, −2 (blue) a first hidden layer learning 100 times slower than the last hidden layer (vanishing gradients), +2 (orange) 100 times faster (exploding).",
                    SweepFigures.SpeedRatioHeatmap(panel.Cells, sweep.RowAxis, sweep.ColumnAxis), FigureStyle.Width, FigureStyle.Height));
                if (panel.Cells.All(c => new RunView(c.Run).IsRegression))
                    page.Figure(new ReportFigure("final-r2" + id, $"Final R²{suffix}",
                        "R² = 1 − Σ(a−y)²/Σ(y−ȳ)² on the test set after the last epoch (on the training set where a run had no test set): 1 is a perfect fit, 0 no better than the mean.",
                        SweepFigures.FinalRSquaredHeatmap(panel.Cells, sweep.RowAxis, sweep.ColumnAxis), FigureStyle.Width, FigureStyle.Height));
                else
                    page.Figure(new ReportFigure("final-accuracy" + id, $"Final accuracy{suffix}",
                        "Test accuracy after the last epoch (train accuracy where a run had no test set).",
                        SweepFigures.FinalAccuracyHeatmap(panel.Cells, sweep.RowAxis, sweep.ColumnAxis), FigureStyle.Width, FigureStyle.Height));
            }
            if (panels.Count > MaxPanels)
                page.Raw($"<p class=\"note\">{panels.Count - MaxPanels} more combinations of {E(string.Join(" × ", sweep.PanelAxes))} are not drawn; every configuration is in the table below.</p>\n");
        }
        page.Raw(ConfigTable(sweep));
        return page.Build($"{sweep.Name} — Gradscope sweep report");
    }

    private static string Verdict(SweepRecord sweep)
    {
        var views = sweep.Cells.Select(c => (Cell: c, View: new RunView(c.Run))).ToList();
        string score = RunView.ScoreNameOf(views.Select(v => v.View));
        var scored = views.Select(x => (x.Cell, x.View, Score: x.View.FinalScore)).Where(x => double.IsFinite(x.Score)).ToList();
        if (scored.Count == 0) return $"{sweep.Cells.Count} runs; none recorded {(score == "R²" ? "an R²" : "an accuracy")}.";
        // Accuracy and R² both grow with a better fit; runs of both kinds are not ranked against each other.
        if (score == "score") return $"{scored.Count} runs scored, classification and regression mixed: see the table.";
        var best = scored.MaxBy(x => x.Score);
        var worst = scored.MinBy(x => x.Score);
        return $"Best final {score} {best.View.ScoreCellUnder(score)} with {Describe(best.Cell, sweep)}; worst {worst.View.ScoreCellUnder(score)}.";
    }

    /// <summary>The configuration by every swept axis, so the best one can be typed back in.</summary>
    private static string Describe(SweepCell cell, SweepRecord sweep) =>
        sweep.Axes.Count > 0 ? cell.Describe(sweep.Axes) : Path.GetFileName(cell.Run.Directory.TrimEnd(Path.DirectorySeparatorChar));

    private static string ConfigTable(SweepRecord sweep)
    {
        var names = sweep.Entries.SelectMany(e => e.Params.Keys).Distinct().ToList();
        var byDir = sweep.Cells.ToDictionary(c => Path.GetFullPath(c.Run.Directory).TrimEnd(Path.DirectorySeparatorChar));
        var sb = new StringBuilder("<h2>Configurations</h2>\n<div class=\"card table\"><table>\n<tr><th class=\"l\">run</th>");
        foreach (string n in names) sb.Append($"<th class=\"l\">{E(n)}</th>");
        string score = RunView.ScoreNameOf(sweep.Cells.Select(c => new RunView(c.Run)));
        sb.Append($"<th class=\"l\">status</th><th>final {E(score)}</th><th>{E(SpeedRatio.Name)} at init</th><th>{E(SpeedRatio.Name)} at end</th></tr>\n");
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
                  .Append($"<td>{E(view.ScoreCellUnder(score))}</td>")
                  .Append($"<td>{E(view.Ratio(atEnd: false).ToString())}</td>")
                  .Append($"<td>{E(view.Ratio(atEnd: true).ToString())}</td>");
            }
            else sb.Append("<td class=\"l\"><span class=\"badge missing\">missing</span></td><td>–</td><td>–</td><td>–</td>");
            sb.Append("</tr>\n");
        }
        return sb.Append("</table></div>\n").ToString();
    }
}
