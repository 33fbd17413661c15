using System.Text;
using static Gradscope.Reports.HtmlPage;

namespace Gradscope.Reports;

/// <summary>
/// The one-file compare page (<c>gradscope compare --html</c>, <c>gradscope report run run …</c>): the tables of
/// <see cref="RunComparison"/>, with the report's own CSS inline and no script, so it opens offline anywhere.
/// </summary>
public static class ComparePage
{
    public static string Write(RunComparison comparison, string path)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllText(path, Html(comparison));
        return path;
    }

    public static string Html(RunComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var page = new HtmlPage();
        string head = string.Concat(c.Names.Select(n => $"<th>{E(n)}</th>"));
        page.Raw($"""<section class="hero"><h1>Comparing {c.Runs.Count} runs</h1><p>{E(string.Join(" · ", c.Names))}</p></section>""");

        var diff = new StringBuilder();
        foreach (var (name, values) in c.Differences) diff.Append($"<tr><td>{E(name)}</td>{string.Concat(values.Select(v => $"<td>{E(v)}</td>"))}</tr>");
        page.Raw($"""<h2>Settings that differ</h2><div class="card table">{(c.Differences.Count == 0 ? "<p>None: the runs were set up alike.</p>" : $"<table id=\"differences\"><tr><th>setting</th>{head}</tr>{diff}</table>")}</div>""");

        var speed = new StringBuilder();
        for (int l = 1; l <= c.Depth; l++)
        {
            speed.Append($"<tr><td>{E(c.LayerName(l))}</td>");
            for (int i = 0; i < c.Runs.Count; i++)
            {
                var (init, end) = c.Speed(i, l);
                speed.Append($"<td>{E(Numbers.Short(init))}</td><td>{E(Numbers.Short(end))}</td>");
            }
            speed.Append("</tr>");
        }
        string pairs = string.Concat(c.Names.Select(n => $"<th colspan=\"2\">{E(n)}</th>"));
        string sub = string.Concat(c.Names.Select(_ => "<th>at init</th><th>at end</th>"));
        page.Raw($"""<h2>Speed of learning ‖∂C/∂b‖ by layer</h2><div class="card table"><table id="speeds"><tr><th rowspan="2">layer</th>{pairs}</tr><tr>{sub}</tr>{speed}</table></div>""");

        var results = new StringBuilder();
        void Row(string label, Func<int, string> cell) =>
            results.Append($"<tr><td>{E(label)}</td>{string.Concat(Enumerable.Range(0, c.Runs.Count).Select(i => $"<td>{E(cell(i))}</td>"))}</tr>");
        Row("status", i => c.Runs[i].Info.Status);
        Row("final cost", i => Numbers.Short(c.Views[i].FinalCost));
        string score = RunView.ScoreNameOf(c.Views);
        Row($"final {score}", i => c.Views[i].ScoreCellUnder(score));
        if (c.Views.Any(v => v.IsRegression)) Row("final RMSE", i => c.Views[i].IsRegression ? Numbers.Short(c.Views[i].FinalRmse) : "–");
        Row($"{SpeedRatio.Name} at init", i => c.Views[i].Ratio(atEnd: false).ToString());
        Row($"{SpeedRatio.Name} at end", i => c.Views[i].Ratio(atEnd: true).ToString());
        Row("verdict", c.Verdict);
        page.Raw($"""<h2>Results</h2><div class="card table"><table id="results"><tr><th></th>{head}</tr>{results}</table></div>""");
        return page.Build($"Gradscope — comparing {c.Runs.Count} runs");
    }
}
