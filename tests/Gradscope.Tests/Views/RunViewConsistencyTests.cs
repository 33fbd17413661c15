using System.Globalization;
using Gradscope.Cli.Commands;
using Gradscope.Diagnosis;
using Gradscope.Experiments;
using Gradscope.Probes;
using Gradscope.Reports;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Reports;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.Views;

/// <summary>
/// One run trained by the CLI, then read by every view — the progress line, the terminal table of <c>train</c>,
/// <c>inspect</c>, <c>export</c>, the HTML report (layers table, headline, key numbers), the doctor's findings, the
/// demo's verdict and a sweep page: for the same quantity and layer they must print the same value. The expected
/// strings are formatted here from <see cref="RunView"/>'s doubles; the views' texts are parsed back from their output.
/// </summary>
public sealed class RunViewConsistencyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-views-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // 4 hidden sigmoid layers (Nielsen's vanishing net) on 1,000 digits, batch 10, 2 epochs: 200 steps. The standard
    // preset's reference set runs on log+every:N with N far beyond 200, so only the final-step rule measures step 199.
    private static readonly string[] Train =
    [
        "train", "--layers", "784,16,16,16,16,10", "--activation", "sigmoid", "--init", "scaled-normal",
        "--train-size", "1000", "--test-size", "200", "--epochs", "2", "--batch", "10", "--probes", "standard", "--seed", "3",
        "--out", "runs", "--name", "views",
    ];

    [Fact]
    public void EveryView_OneRun_PrintsTheSameValueForTheSameQuantityAndLayer()
    {
        var train = CliRunner.Run(_dir, Train);
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        string runDir = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        var run = RunRecord.Load(runDir);
        var view = new RunView(run);
        var rows = view.Rows();
        Assert.Equal(Quantity.ReferenceBiasGradNorm, view.SpeedQuantity);
        Assert.Equal(199, view.EndStep(view.SpeedQuantity, 1));

        // The terminal table, as `train` printed it and as `inspect` prints it.
        var inspect = CliRunner.Run(_dir, "inspect", runDir);
        Assert.Equal(0, inspect.ExitCode);
        foreach (var r in rows)
        {
            string[] expected = [r.Name, r.Units.ToString(CultureInfo.InvariantCulture), r.Activation, S(r.SpeedAtInit), S(r.SpeedAtEnd), S(r.DeltaNorm),
                S(r.Gain), S(r.WeightFactor), S(r.ActivationFactor), r.SaturationText, Numbers.Percent(r.Dead)];
            Assert.Equal(expected, ViewText.TerminalRow(train.Stdout, r.Name));
            Assert.Equal(expected, ViewText.TerminalRow(inspect.Stdout, r.Name));
        }
        string ratioLine = $"speed of learning, first hidden ÷ last hidden layer: {view.Ratio(false)} at init, {view.Ratio(true)} at end";
        Assert.Contains(ratioLine, inspect.Stdout);
        Assert.Contains(ratioLine, train.Stdout);

        // The last progress line: the newest speeds are the final step's, i.e. the table's at-end values.
        string progress = train.Stdout.Split('\n').Last(l => l.Contains("epoch 2/2", StringComparison.Ordinal));
        Assert.Contains($"speed of learning at step 199: layer 1 {S(rows[0].SpeedAtEnd)} · layer 4 {S(rows[3].SpeedAtEnd)} · first hidden ÷ last hidden {view.Ratio(true)}", progress);

        // The HTML report: layers table, headline and key numbers.
        string html = File.ReadAllText(Path.Combine(runDir, RunFiles.Report));
        var htmlRows = ViewText.HtmlLayerRows(html);
        foreach (var r in rows)
            Assert.Equal([r.Name, r.Units.ToString(CultureInfo.InvariantCulture), r.Activation, S(r.SpeedAtInit), S(r.SpeedAtEnd), S(r.DeltaNorm),
                S(r.Gain), S(r.WeightFactor), S(r.ActivationFactor), r.SaturationText, Numbers.Percent(r.Dead)], htmlRows[r.Name]);
        Assert.Equal($"Speed of learning, first hidden ÷ last hidden layer: {view.Ratio(false)} at init, {view.Ratio(true)} at end.", ViewText.HtmlClass(html, "p", "verdict"));
        Assert.Contains($"<div class=\"v\">{view.Ratio(true)}</div><div class=\"k\">speed of learning, first hidden ÷ last hidden, at end</div>", html);

        // The doctor: its numbers are the view's doubles, its evidence the view's strings; the report shows them.
        var findings = FindingsFile.Read(runDir);
        var vanishing = Assert.Single(findings, f => f.Kind == FindingKind.Vanishing);
        Assert.Equal(view.Ratio(true).Value, vanishing.Numbers["first_to_last_ratio"]);
        Assert.Equal(view.FactorProduct(Quantity.ActivationFactor), vanishing.Numbers["activation_factor_product"]);
        Assert.Equal(view.FactorProduct(Quantity.WeightFactor), vanishing.Numbers["weight_factor_product"]);
        Assert.Contains($"layer 1 = {S(rows[0].SpeedAtEnd)}, layer 4 = {S(rows[3].SpeedAtEnd)} (first hidden ÷ last hidden {view.Ratio(true)})", vanishing.Evidence);
        Assert.Contains($"layer 1 learns at {view.Ratio(true)} the speed of layer 4", vanishing.Title);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(vanishing.Evidence), html);
        foreach (var f in findings.Where(f => f.Kind is FindingKind.Saturation or FindingKind.DeadUnits))
            foreach (int l in f.Layers)
                Assert.Equal(f.Kind == FindingKind.Saturation ? rows[l - 1].Saturated : rows[l - 1].Dead, f.Numbers[$"layer_{l}"]);

        // The demo's verdict.
        string verdict = Assert.Single(DemoCommand.Verdict([run]));
        Assert.Contains($"learns at {view.Ratio(false)} the speed of the last hidden layer at init, {view.Ratio(true)} at end (first hidden ÷ last hidden)", verdict);
        Assert.Contains($"the σ'(z) factors multiply to {S(view.FactorProduct(Quantity.ActivationFactor))} and the weight factors to {S(view.FactorProduct(Quantity.WeightFactor))}", verdict);

        // export: the per-layer CSV holds the same doubles; the raw CSV's last reference-set row is the at-end value.
        var export = CliRunner.Run(_dir, "export", runDir, "--csv", "all.csv", "--layers", "layers.csv");
        Assert.Equal(0, export.ExitCode);
        var csv = File.ReadAllLines(Path.Combine(_dir, "layers.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var r in rows)
        {
            var c = csv[r.Layer - 1];
            Assert.Equal([r.SpeedAtInit, r.SpeedAtEnd, r.DeltaNorm, r.Gain, r.WeightFactor, r.ActivationFactor, r.Saturated, r.Dead],
                c[5..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }
        var lastReference = File.ReadAllLines(Path.Combine(_dir, "all.csv")).Select(l => l.Split(','))
            .Last(c => c[2] == "1" && c[3] == Quantity.ReferenceBiasGradNorm);
        Assert.Equal(("199", rows[0].SpeedAtEnd), (lastReference[0], double.Parse(lastReference[^1], CultureInfo.InvariantCulture)));

        // A sweep page over the run: its configuration table shows the same ratios.
        File.WriteAllText(Path.Combine(_dir, "runs", SweepRecord.FileName), $$"""{ "runs": [ { "dir": "{{Path.GetFileName(runDir)}}", "params": { "seed": "3" } } ] }""");
        string sweepHtml = File.ReadAllText(HtmlReport.Write(Path.Combine(_dir, "runs")));
        Assert.Contains($"<td>{view.Ratio(false)}</td><td>{view.Ratio(true)}</td>", sweepHtml);
    }

    [Fact]
    public void AtEnd_ReferenceSetOnASparseSchedule_IsTheRunsFinalStep()
    {
        var train = TestNets.Separable<float>(95, 20, 1);
        var spec = SampleRuns.Spec("final-step", "minimal", epochs: 2) with
        {
            Probes = ProbeOptions.FromPreset("minimal") with { Reference = "log+every:5000", Norms = "every:7", ReferenceSize = 50 },
        };
        var outcome = ExperimentRunner.Run(spec, train, null, null);
        var view = RunViews.Of(outcome, spec);
        long final = 2 * 10 - 1; // 2 epochs of ⌈95/10⌉ = 10 steps
        // Without the final-step rule the reference set would stop at step 16 and the norms at step 14.
        for (int l = 1; l <= view.Depth; l++)
        {
            Assert.Equal(final, view.EndStep(Quantity.ReferenceBiasGradNorm, l));
            Assert.Equal(final, view.EndStep(Quantity.BiasGradNorm, l));
            Assert.Equal(view.Records(Quantity.ReferenceBiasGradNorm, l)[^1].Value, view.AtEnd(Quantity.ReferenceBiasGradNorm, l));
        }
        Assert.Equal([0L, 1, 2, 4, 8, 16, final], view.Records(Quantity.ReferenceBiasGradNorm, 1).Select(r => r.Step));
    }

    private static string S(double v) => Numbers.Short(v);
}
