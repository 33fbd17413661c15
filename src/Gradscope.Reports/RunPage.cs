using System.Globalization;
using System.Text;
using static Gradscope.Reports.HtmlPage;

namespace Gradscope.Reports;

/// <summary>The HTML report of one run: header with verdict, status, key numbers, findings, per-layer table, figures, spec.</summary>
internal static class RunPage
{
    public static string Render(RunRecord run)
    {
        var info = run.Info;
        // One index of the metrics serves the whole page: grouping millions of records once, not per section.
        var index = new RunIndex(run);
        var layers = index.View.Rows();
        var page = new HtmlPage();
        page.Raw(Header(run, index));
        if (!run.IsComplete) page.Raw(StatusAlert(info));
        page.Raw(Kpis(run, index));
        page.Raw(FindingsSection(run));
        page.Raw(LayerTable(layers, index));
        var figures = ReportFigures.For(index);
        page.Raw($"<h2>Figures <small>{figures.Count} from the run record</small></h2>\n");
        if (figures.Count == 0) page.Raw("<p class=\"note\">The run recorded no measurements to plot.</p>\n");
        foreach (var f in figures) page.Figure(f);
        page.Raw(SpecSection(run));
        return page.Build($"{info.Name} — Gradscope report");
    }

    private static string Header(RunRecord run, RunIndex index)
    {
        var info = run.Info;
        var chips = new List<string> { $"[{string.Join(", ", info.Sizes())}]", Activations(info), info.Cost };
        chips.AddRange(info.Settings.Where(s => s.Name is not "cost" and not "probes" and not "bias-init" and not "epochs" and not "batch")
            .Select(s => s.Name switch { "eta" => $"η {s.Value}", "init" => $"init {s.Value}", _ => $"{s.Name} {s.Value}" }));
        if (info.Setting("batch") is { } batch) chips.Add($"batch {batch}");
        if (info.Setting("epochs") is { } epochs) chips.Add($"{epochs} epoch{(epochs == "1" ? "" : "s")}");
        chips.AddRange([info.Precision, $"seed {info.Seed}", $"data {info.Data.Source}"]);
        return $"""
            <header class="hero {E(info.Status)}">
              <div class="eyebrow">Gradscope run report · {E(info.Kind)} <span class="badge {E(info.Status)}">{E(info.Status)}</span></div>
              <h1>{E(info.Name)}</h1>
              <p class="verdict">{E(Summaries.Verdict(index.View))}</p>
              <div class="chips">{string.Concat(chips.Select(c => $"<span class=\"chip\">{E(c)}</span>"))}</div>
            </header>

            """;
    }

    private static string StatusAlert(RunInfo info)
    {
        string what = info.Status switch
        {
            RunStatus.Failed => "This run failed",
            RunStatus.Interrupted => "This run was interrupted",
            RunStatus.Running => "This run had not finished when the report was made",
            _ => $"This run's status is '{info.Status}'",
        };
        string failure = string.IsNullOrWhiteSpace(info.Failure) ? "" : $"<pre>{E(info.Failure)}</pre>";
        return $"""
            <section class="alert" role="alert"><h2>⚠ {E(what)}</h2>{failure}<p>Figures and tables show what was recorded up to that point.</p></section>

            """;
    }

    private static string Kpis(RunRecord run, RunIndex index)
    {
        var sb = new StringBuilder("<section class=\"kpis\">\n");
        void Kpi(string value, string key, bool warn = false) =>
            sb.Append($"<div class=\"kpi{(warn ? " warn" : "")}\"><div class=\"v\">{E(value)}</div><div class=\"k\">{E(key)}</div></div>\n");
        var view = index.View;
        if (view.FinalEpoch is { } last)
        {
            string on = view.HasTest ? "test" : "train";
            if (view.IsRegression)
            {
                Kpi(RunView.ScoreCell(view.FinalRSquared, regression: true), $"{on} R² after epoch {last.Epoch}");
                Kpi(Format.Short(view.FinalRmse), $"{on} RMSE after epoch {last.Epoch}");
            }
            else Kpi(Format.Percent(view.FinalAccuracy), $"{on} accuracy after epoch {last.Epoch}");
            Kpi(Format.Short(view.FinalCost), $"{on} cost (at init {Format.Short(view.InitialCost)})");
        }
        SpeedRatio init = view.Ratio(atEnd: false), end = view.Ratio(atEnd: true);
        if (init.IsFinite) Kpi(init.ToString(), $"speed of learning, {SpeedRatio.Name}, at init", init.Value < 0.1 || init.Value > 10);
        if (end.IsFinite && view.LastStep > 0) Kpi(end.ToString(), $"speed of learning, {SpeedRatio.Name}, at end", end.Value < 0.1 || end.Value > 10);
        var (measured, trained, every) = view.MeasuredSteps();
        if (trained == 0) Kpi(measured > 0 ? "at init" : "none", "measured: no training step");
        else Kpi($"{measured:N0} of {trained:N0}", $"training steps measured{(every > 1 ? $" (every {Numbers.Ordinal(every)})" : "")}");
        if (run.Info.End is { } stop) Kpi(Duration(stop - run.Info.Start), "wall time");
        int nonFinite = run.Metrics.Count(m => m.Quantity == Quantity.NonFinite);
        if (nonFinite > 0) Kpi(nonFinite.ToString(CultureInfo.InvariantCulture), "non-finite values recorded", warn: true);
        return sb.Append("</section>\n").ToString();
    }

    private static string Duration(TimeSpan t) =>
        t.TotalSeconds < 60 ? $"{t.TotalSeconds:0.0} s" : t.TotalMinutes < 60 ? $"{(int)t.TotalMinutes} min {t.Seconds} s" : $"{(int)t.TotalHours} h {t.Minutes} min";

    private static string FindingsSection(RunRecord run)
    {
        IReadOnlyList<Finding>? findings;
        try
        {
            findings = FindingsFile.Exists(run.Directory) ? FindingsFile.Read(run.Directory) : null;
        }
        catch (InvalidDataException e)
        {
            return $"<h2>Findings</h2><p class=\"note\">{E(e.Message)}</p>\n";
        }
        if (findings is null) return "<h2>Findings</h2><p class=\"note\">No diagnosis recorded for this run.</p>\n";
        if (findings.Count == 0) return "<h2>Findings</h2><p class=\"note\">The diagnosis found nothing to report.</p>\n";
        var sb = new StringBuilder($"<h2>Findings <small>{findings.Count} from the diagnosis</small></h2>\n<section class=\"findings\">\n");
        foreach (var f in findings)
        {
            string severity = f.Severity.Trim().ToLowerInvariant();
            sb.Append($"<article class=\"card finding {E(severity)}\"><h3><span class=\"sev\">{E(f.Severity)}</span>{E(f.Title)}</h3>");
            if (f.Evidence.Length > 0) sb.Append($"<p class=\"evidence\">{E(f.Evidence)}</p>");
            if (f.Explanation.Length > 0) sb.Append($"<p>{E(f.Explanation)}</p>");
            if (f.Prescriptions.Count > 0)
                sb.Append("<p><strong>What to try</strong></p><ul>")
                  .Append(string.Concat(f.Prescriptions.Select(p => $"<li><code>{E(p.Flags)}</code> — {E(p.Remedy)}: {E(p.Reason)}</li>"))).Append("</ul>");
            else if (f.Remedies.Count > 0)
                sb.Append("<p><strong>What to try</strong></p><ul>").Append(string.Concat(f.Remedies.Select(r => $"<li>{E(r)}</li>"))).Append("</ul>");
            sb.Append("</article>\n");
        }
        return sb.Append("</section>\n").ToString();
    }

    private static string LayerTable(IReadOnlyList<LayerRow> layers, RunIndex index)
    {
        var logs = layers.SelectMany(l => new[] { l.SpeedAtInit, l.SpeedAtEnd }).Select(FigureStyle.Log10).Where(double.IsFinite).ToList();
        double lo = logs.Count > 0 ? logs.Min() : 0, hi = logs.Count > 0 ? logs.Max() : 1;
        string Speed(double v, string cls)
        {
            double log = FigureStyle.Log10(v);
            // Bar length on a log scale, so layers decades apart look decades apart.
            int width = double.IsFinite(log) ? 6 + (int)Math.Round(74 * (log - lo) / Math.Max(1e-9, hi - lo)) : 0;
            return $"<td><span class=\"bar {cls}\" style=\"width:{width}px\"></span>{E(Format.Short(v))}</td>";
        }
        string Factor(double v) => $"<td{(v < 0.5 || v > 2 ? " class=\"bad\"" : "")}>{E(Format.Short(v))}</td>";
        string Share(double v) => $"<td{(v > 0.5 ? " class=\"bad\"" : "")}>{E(Format.Percent(v))}</td>";
        string source = index.SpeedQuantity == Quantity.ReferenceBiasGradNorm
            ? $"speed of learning ‖∂C/∂b‖ on {index.Run.Info.Data.Reference:N0} reference examples"
            : "speed of learning ‖∂C/∂b‖ on the mini-batch";
        var sb = new StringBuilder($"""
            <h2>Layers <small>{E(source)}, at init (first measurement) and at end (the run's last step); {E(LayerRow.TypicalLabel)}</small></h2>
            <div class="card table"><table>
            <tr><th class="l">layer</th><th class="l">units</th><th class="l">activation</th><th>speed at init</th><th>speed at end</th><th>‖δ‖</th><th>gain</th><th>weight factor</th><th>σ' factor</th><th>saturated</th><th>dead</th></tr>

            """);
        foreach (var l in layers)
            sb.Append($"<tr><td class=\"l\">{E(l.Name)}</td><td class=\"l\">{l.Units}</td><td class=\"l\">{E(l.Activation)}</td>")
              .Append(Speed(l.SpeedAtInit, "init")).Append(Speed(l.SpeedAtEnd, "end"))
              .Append($"<td>{E(Format.Short(l.DeltaNorm))}</td>").Append(Factor(l.Gain)).Append(Factor(l.WeightFactor)).Append(Factor(l.ActivationFactor))
              .Append(Share(l.Saturated)).Append(Share(l.Dead)).Append("</tr>\n");
        return sb.Append("</table></div>\n").ToString();
    }

    private static string SpecSection(RunRecord run)
    {
        var i = run.Info;
        string Row(string k, string v) => $"<tr><td>{E(k)}</td><td>{E(v)}</td></tr>";
        string Table(string title, IEnumerable<string> rows) => $"<div class=\"card\"><h3>{E(title)}</h3><table>{string.Concat(rows)}</table></div>\n";
        var network = new[]
        {
            Row("layer sizes", $"[{string.Join(", ", i.Sizes())}]"), Row("activations (layer 1…L)", string.Join(", ", i.Layers.Select(l => l.Activation ?? "–"))),
            Row("cost", i.Cost),
        }.Concat(i.Layers.Where(l => l.Normalization is not null || l.Residual).Take(1).SelectMany(_ => new[]
        {
            Row("normalisation", string.Join(", ", i.Layers.Select(l => l.Normalization ?? "none"))),
            Row("residual blocks", string.Join(", ", i.Layers.Where(l => l.Residual).Select(l => l.Index.ToString(CultureInfo.InvariantCulture))) is { Length: > 0 } r ? $"layers {r}" : "none"),
        }));
        var training = i.Settings.Where(s => s.Name != "probes").Select(s => Row(SettingLabel(s.Name), s.Value))
            .Concat([Row("precision", i.Precision), Row("seed", i.Seed.ToString(CultureInfo.InvariantCulture))]);
        var data = new[]
        {
            Row("source", i.Data.Source), Row("training examples", i.Data.Train.ToString("N0", CultureInfo.InvariantCulture)),
            Row("test examples", i.Data.Test.ToString("N0", CultureInfo.InvariantCulture)), Row("reference set", i.Data.Reference.ToString("N0", CultureInfo.InvariantCulture)),
            Row("probe preset", i.Setting("probes") ?? "–"),
        };
        var run2 = new[]
        {
            Row("name", i.Name), Row("kind", i.Kind), Row("status", i.Status), Row("format", i.Format),
            Row("started", i.Start.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
            Row("ended", i.End?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "–"),
            Row("directory", Path.GetFileName(run.Directory.TrimEnd(Path.DirectorySeparatorChar))),
        }.Concat(i.Versions.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Row($"version: {kv.Key}", kv.Value)));
        return "<h2>Specification</h2>\n<section class=\"spec\">\n"
            + Table("Network", network) + Table("Training", training) + Table("Data and probes", data) + Table("Run", run2)
            + "</section>\n";
    }

    private static string Activations(RunInfo info)
    {
        var names = info.Layers.Select(l => l.Activation ?? "?").ToList();
        return names.Distinct().Count() == 1 ? names[0] : string.Join(" → ", names);
    }

    /// <summary>How a setting's flag name reads in the specification table.</summary>
    private static string SettingLabel(string name) => name switch
    {
        "eta" => "learning rate η",
        "batch" => "mini-batch size",
        "lambda" => "L2 λ",
        "init" => "weight init",
        "bias-init" => "bias init",
        "clip-norm" => "clip by global norm τ",
        "clip-value" => "clip each component to ±",
        "trust-ratio" => "trust ratio",
        "layer-rates" => "per-layer rates",
        _ => name,
    };
}
