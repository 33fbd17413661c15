using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text;
using ScottPlot;

namespace Gradscope.Reports;

/// <summary>
/// The page shell shared by run and sweep reports: one self-contained HTML file with its CSS inline, figures as
/// SVG data URIs (vector, print-sharp, isolated so their element ids cannot collide), and no script at all.
/// Every piece of text from a run goes through <see cref="E"/>.
/// </summary>
internal sealed class HtmlPage
{
    private readonly StringBuilder _body = new();

    /// <summary>HTML-encodes text taken from a run (names, failures, findings, spec values).</summary>
    /// <remarks>
    /// HtmlEncoder over all of Unicode: it escapes &lt; &gt; &amp; and quotes (and anything unsafe) but keeps
    /// σ′, ×, ‖ readable in the file rather than turning them into numeric entities.
    /// </remarks>
    public static string E(string? text) => Encoder.Encode(text ?? "");

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public HtmlPage Raw(string html)
    {
        _body.Append(html);
        return this;
    }

    /// <summary>A figure card: the plot as an inline SVG image beside its caption.</summary>
    public HtmlPage Figure(ReportFigure f)
    {
        string svg = f.Plot.GetSvgXml(f.Width, f.Height);
        string data = Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
        _body.Append($"""
            <figure class="card fig" id="fig-{E(f.Name)}">
              <img src="data:image/svg+xml;base64,{data}" width="{f.Width}" height="{f.Height}" alt="{E(f.Title)}" data-figure="{E(f.Name)}">
              <figcaption><h3>{E(f.Title)}</h3><p>{E(f.Caption)}</p></figcaption>
            </figure>

            """);
        return this;
    }

    public string Build(string title) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Gradscope">
        <title>{{E(title)}}</title>
        <style>{{Css}}</style>
        </head>
        <body>
        <main>
        {{_body}}
        <footer data-rendered="report">Made by Gradscope from the run record on {{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}} UTC. Self-contained: no scripts, no network.</footer>
        </main>
        </body>
        </html>
        """;

    private const string Css = """
        :root {
          --ink: #1d2330; --muted: #5b6475; --line: #e3e6ec; --bg: #f4f5f8; --card: #ffffff;
          --blue: #0072B2; --orange: #E69F00; --green: #009E73; --red: #D55E00; --pink: #CC79A7;
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: var(--bg); color: var(--ink);
          font: 15px/1.5 "DejaVu Sans", "Segoe UI", system-ui, -apple-system, sans-serif; }
        main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 40px; }
        h1, h2, h3 { line-height: 1.2; margin: 0; }
        h2 { font-size: 19px; margin: 34px 0 12px; letter-spacing: .01em; }
        h2 small { font-weight: normal; color: var(--muted); font-size: 13px; margin-left: 8px; }
        .hero { background: linear-gradient(135deg, #12233f 0%, #1f4e79 100%); color: #fff; border-radius: 14px;
          padding: 26px 30px 24px; box-shadow: 0 6px 24px rgba(18, 35, 63, .18); }
        .hero.failed, .hero.interrupted, .hero.running { background: linear-gradient(135deg, #4a1606 0%, #8f3a08 100%); }
        .hero .eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: 12px; opacity: .8; }
        .hero h1 { font-size: 30px; margin: 6px 0 10px; word-break: break-word; }
        .hero .verdict { font-size: 19px; margin: 0 0 14px; max-width: 60em; }
        .chips { display: flex; flex-wrap: wrap; gap: 8px; }
        .chip { background: rgba(255, 255, 255, .14); border: 1px solid rgba(255, 255, 255, .22); border-radius: 999px;
          padding: 3px 11px; font-size: 13px; }
        .badge { display: inline-block; border-radius: 999px; padding: 2px 10px; font-size: 12px; font-weight: bold;
          text-transform: uppercase; letter-spacing: .06em; vertical-align: middle; }
        .badge.complete { background: #d9f2e9; color: #00664a; }
        .badge.failed, .badge.interrupted, .badge.running, .badge.missing { background: #fbe3d6; color: #9a3d00; }
        .alert { margin: 18px 0 0; border-radius: 12px; padding: 16px 20px; background: #fff4ec;
          border: 2px solid var(--red); color: #5a2200; }
        .alert h2 { margin: 0 0 6px; font-size: 18px; color: #9a3d00; }
        .alert pre { white-space: pre-wrap; margin: 0; font: 14px/1.45 "DejaVu Sans Mono", ui-monospace, monospace; }
        .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 14px; margin-top: 18px; }
        .kpi { background: var(--card); border-radius: 12px; padding: 14px 16px; border: 1px solid var(--line); }
        .kpi .v { font-size: 26px; font-weight: bold; }
        .kpi .k { color: var(--muted); font-size: 13px; }
        .kpi.warn .v { color: var(--red); }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 12px;
          box-shadow: 0 1px 3px rgba(20, 30, 50, .05); }
        .fig { margin: 0 0 16px; padding: 14px; display: grid; grid-template-columns: minmax(0, 800px) 1fr; gap: 18px;
          align-items: start; break-inside: avoid; page-break-inside: avoid; }
        .fig img { width: 100%; height: auto; display: block; }
        .fig figcaption h3 { font-size: 16px; margin: 6px 0 8px; }
        .fig figcaption p { margin: 0; color: var(--muted); font-size: 14px; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
        .table { overflow-x: auto; padding: 4px 4px; }
        th, td { padding: 7px 9px; text-align: right; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; font-size: 12.5px; white-space: normal; vertical-align: bottom; }
        tr:last-child td { border-bottom: 0; }
        td.l, th.l { text-align: left; }
        td.bad { color: var(--red); font-weight: bold; }
        td.good { color: #00664a; font-weight: bold; }
        .bar { display: inline-block; height: 8px; border-radius: 4px; background: var(--blue); vertical-align: middle;
          margin-right: 8px; }
        .bar.end { background: var(--orange); }
        .spec { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 16px; align-items: start; }
        .spec table td { white-space: normal; word-break: break-word; text-align: left; }
        .spec table td:first-child { color: var(--muted); width: 45%; }
        .spec h3 { font-size: 14px; padding: 12px 12px 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
        .findings { display: grid; gap: 12px; }
        .finding { padding: 16px 20px; border-left: 6px solid var(--blue); }
        .finding.critical, .finding.error, .finding.high { border-left-color: var(--red); }
        .finding.warning, .finding.medium { border-left-color: var(--orange); }
        .finding.ok, .finding.info, .finding.low { border-left-color: var(--green); }
        .finding h3 { font-size: 17px; margin-bottom: 6px; }
        .finding .sev { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin-right: 8px; }
        .finding p { margin: 6px 0; }
        .finding .evidence { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 13px; background: var(--bg);
          border-radius: 6px; padding: 6px 10px; }
        .finding ul { margin: 6px 0 0; padding-left: 20px; }
        .note { color: var(--muted); font-style: italic; }
        footer { margin-top: 36px; color: var(--muted); font-size: 12px; text-align: center; }
        a { color: var(--blue); }
        @media (max-width: 1000px) { .fig { grid-template-columns: 1fr; } }
        @media print {
          body { background: #fff; font-size: 12px; }
          main { max-width: none; padding: 0; }
          .hero { background: #fff; color: var(--ink); border: 2px solid var(--ink); box-shadow: none; }
          .chip { border-color: var(--line); background: #fff; }
          .card, .kpi { box-shadow: none; }
          .fig { grid-template-columns: 1fr; }
          h2 { break-after: avoid; }
          table, .finding, .kpi { break-inside: avoid; }
        }
        """;
}
