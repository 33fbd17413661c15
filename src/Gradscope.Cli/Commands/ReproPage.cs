using System.Globalization;
using System.Net;
using System.Text;
using Gradscope.Experiments.Reproductions;

namespace Gradscope.Cli.Commands;

/// <summary>
/// reproduction.html beside reproduction.json: the tables, findings and stacked-bar figures of one reproduction in
/// one self-contained file (inline SVG, no scripts or styles from elsewhere, so it opens offline). Every text is
/// HTML-encoded.
/// </summary>
public static class ReproPage
{
    private static readonly string[] Palette = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"];

    public static string Html(ReproResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(result.Name)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}" +
                "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th{background:#f4f4f4}.note{color:#555;font-size:90%}</style></head><body>")
            .Append("<h1>reproduce ").Append(E(result.Name)).Append("</h1><p>").Append(E(result.Source)).Append("</p><h2>Findings</h2><ul>");
        foreach (string f in result.Findings) html.Append("<li>").Append(E(f)).Append("</li>");
        html.Append("</ul>");
        foreach (var figure in result.Figures ?? []) html.Append(Figure(figure));
        foreach (var table in result.Tables)
        {
            html.Append("<h2>").Append(E(table.Title)).Append("</h2><table><tr>");
            foreach (string c in table.Columns) html.Append("<th>").Append(E(c)).Append("</th>");
            html.Append("</tr>");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                foreach (string cell in row) html.Append("<td>").Append(E(cell)).Append("</td>");
                html.Append("</tr>");
            }
            html.Append("</table>");
            if (table.Note is not null) html.Append("<p class=\"note\">").Append(E(table.Note)).Append("</p>");
        }
        return html.Append("</body></html>").ToString();
    }

    /// <summary>Horizontal stacked bars, one row per bar, scaled to the largest total.</summary>
    private static string Figure(ReproFigure figure)
    {
        const int Label = 170, Plot = 520, Row = 22, Top = 30;
        double max = figure.Bars.Select(b => b.Values.Where(double.IsFinite).Sum()).DefaultIfEmpty(0).Max();
        if (!(max > 0)) max = 1;
        int height = Top + Row * figure.Bars.Count + 40;
        var svg = new StringBuilder();
        svg.Append("<h2>").Append(E(figure.Title)).Append("</h2>")
            .Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Label + Plot + 80}\" height=\"{height}\" font-size=\"12\">"));
        for (int s = 0; s < figure.Series.Length; s++)
            svg.Append(Invariant($"<rect x=\"{Label + 130 * s}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{Palette[s % Palette.Length]}\"/>"))
                .Append(Invariant($"<text x=\"{Label + 130 * s + 16}\" y=\"14\">")).Append(E(figure.Series[s])).Append("</text>");
        for (int b = 0; b < figure.Bars.Count; b++)
        {
            var bar = figure.Bars[b];
            int y = Top + Row * b;
            svg.Append(Invariant($"<text x=\"{Label - 6}\" y=\"{y + 15}\" text-anchor=\"end\">")).Append(E(bar.Label)).Append("</text>");
            double x = Label;
            for (int s = 0; s < bar.Values.Length; s++)
            {
                double w = double.IsFinite(bar.Values[s]) ? Math.Max(0, bar.Values[s]) / max * Plot : 0;
                svg.Append(Invariant($"<rect x=\"{x:F1}\" y=\"{y + 3}\" width=\"{w:F1}\" height=\"{Row - 6}\" fill=\"{Palette[s % Palette.Length]}\"><title>"))
                    .Append(E($"{figure.Series[Math.Min(s, figure.Series.Length - 1)]}: {bar.Values[s].ToString("G4", CultureInfo.InvariantCulture)} {figure.Units}")).Append("</title></rect>");
                x += w;
            }
            svg.Append(Invariant($"<text x=\"{x + 4:F1}\" y=\"{y + 15}\">{bar.Values.Where(double.IsFinite).Sum():G3}</text>"));
        }
        int axis = Top + Row * figure.Bars.Count + 4;
        svg.Append(Invariant($"<line x1=\"{Label}\" y1=\"{axis}\" x2=\"{Label + Plot}\" y2=\"{axis}\" stroke=\"#888\"/>"))
            .Append(Invariant($"<text x=\"{Label}\" y=\"{axis + 16}\">0</text><text x=\"{Label + Plot}\" y=\"{axis + 16}\" text-anchor=\"end\">{max:G3} "))
            .Append(E(figure.Units)).Append("</text></svg>");
        return svg.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
