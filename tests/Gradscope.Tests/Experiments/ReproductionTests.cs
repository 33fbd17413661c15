using Gradscope.Data;
using Gradscope.Experiments.Reproductions;

namespace Gradscope.Tests.Experiments;

/// <summary>Each reproduction on a small budget, checked for the published qualitative result.</summary>
public sealed class ReproductionTests
{
    private static readonly Lazy<DataSplit> Digits = new(() => DataSources.Load("digits", 2000, 300, 20101));

    private static ReproContext Context(double budget) => new(_ => Digits.Value, seed: 1, budget: budget);

    // Each reproduction runs once per test run at its budget; the tests of its tables, values and findings share it.
    private static readonly Dictionary<string, Lazy<ReproResult>> Results = Reproduction.All.ToDictionary(r => r.Name, r => new Lazy<ReproResult>(() => r.Run(Context(Budget(r.Name)))));

    /// <summary>The smallest budget at which a reproduction still shows its published result (the tests below check it).</summary>
    public static double Budget(string name) => name switch
    {
        "he-relu-depth" => 0.03,
        "deep-linear" or "glorot-bengio" => 0.02,
        "jacobian-products" => 0.4,
        _ => 0.01,
    };

    private static ReproResult Result(string name) => Results[name].Value;

    private static double Cell(string text) =>
        double.Parse(text.Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void NielsenCh5_AtInit_SpeedOfLearningRisesWithLayer()
    {
        var result = Result("nielsen-ch5");
        var init = result.Tables[0];
        Assert.Equal(3, init.Rows.Count);
        foreach (var row in init.Rows)
        {
            var speeds = row.Skip(1).Where(c => c.Length > 0).Select(Cell).ToList();
            for (int i = 1; i < speeds.Count; i++) Assert.True(speeds[i] > 2 * speeds[i - 1], string.Join(" ", row));
        }
    }

    [Fact]
    public void HeReluDepth_GlorotShrinksBySqrt2PerLayer_HeDoesNot()
    {
        var result = Result("he-relu-depth");
        var rows = result.Tables[0].Rows;
        var glorot30 = rows.Single(r => r[0] == "30" && r[1] == "Glorot");
        var he30 = rows.Single(r => r[0] == "30" && r[1] == "He");
        Assert.InRange(Cell(glorot30[2]) / Cell(glorot30[3]), 0.1, 10); // within a decade of 2^{-14.5}
        Assert.InRange(Cell(he30[2]), 0.2, 5);
    }

    [Fact]
    public void DeepLinear_OrthogonalProductIsIsometric()
    {
        var result = Result("deep-linear");
        Assert.Contains(result.Findings, f => f.StartsWith("Orthogonal init: every singular value", StringComparison.Ordinal));
        var chain = result.Tables[0].Rows;
        Assert.All(chain, r => Assert.Equal(r[3], r[2])); // engine = closed form, as printed
    }

    [Fact]
    public void JacobianProducts_GrowthRateMatchesGaussianPrediction()
    {
        Assert.Equal(-0.5772156649015329, JacobianProducts.Digamma(1), 1e-10);
        Assert.Equal(Math.Log(1.1) + 0.5 * (JacobianProducts.Digamma(10) + Math.Log(0.1)), JacobianProducts.Rate(1.1, 20), 1e-12);
        var result = Result("jacobian-products");
        foreach (var table in result.Tables)
            foreach (var row in table.Rows)
            {
                // The L = 100 column: measured (predicted) within 15% or 0.5 decades.
                var parts = row[^1].Split(' ');
                double measured = Cell(parts[0]), predicted = Cell(parts[1].Trim('(', ')'));
                Assert.True(Math.Abs(measured - predicted) < Math.Max(0.5, 0.15 * Math.Abs(predicted)), $"{row[0]}: {row[^1]}");
            }
    }

    [Fact]
    public void GlorotBengio_NormalisedInitKeepsTanhGradientsCloserToConstant()
    {
        var result = Result("glorot-bengio");
        var rows = result.Tables[0].Rows;
        double standard = Cell(rows.Single(r => r[0] == "tanh" && r[1] == "standard")[2]);
        double normalised = Cell(rows.Single(r => r[0] == "tanh" && r[1] == "normalised")[2]);
        Assert.True(Math.Abs(Math.Log(normalised)) < Math.Abs(Math.Log(standard)), $"{standard} vs {normalised}");
    }

    public static TheoryData<string> Names => [.. Reproduction.All.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Run_EveryReproduction_RecordsItsMeasuredNumbersAsValues(string name)
    {
        var result = Result(name);
        var values = Assert.IsAssignableFrom<IReadOnlyList<ReproValue>>(result.Values);
        Assert.True(values.Count >= 4, $"{name}: only {values.Count} values");
        Assert.Equal(values.Count, values.Select(v => v.Name).Distinct().Count());
        Assert.All(values, v => Assert.False(string.IsNullOrWhiteSpace(v.Units), v.Name));
        Assert.Contains(values, v => double.IsFinite(v.Value));
        Assert.NotEmpty(result.Findings);
        // reproduction.json keeps them as numbers.
        var json = System.Text.Json.JsonSerializer.Serialize(result, JsonDefaults.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<ReproResult>(json, JsonDefaults.Options)!;
        Assert.Equal(values.Select(v => v.Value), back.Values!.Select(v => v.Value));
    }

    private static double Value(ReproResult result, string name) => Assert.Single(result.Values!, v => v.Name == name).Value;

    [Fact]
    public void NielsenCh5_DuringTraining_SaysWhatTheNumbersShow()
    {
        // Nielsen's claim as a fixed sentence would read the same for all three; the computed one follows the numbers.
        string within = NielsenCh5.DuringTraining("2-hidden", [(0, [0.07, 0.31]), (499, [0.05, 0.08])]);
        Assert.Contains("within 2× of the last hidden layer", within);
        Assert.Contains("1/4.4 at epoch 0 to 1/1.6 at epoch 499", within);
        Assert.Contains("the gap narrowed", within);
        string slower = NielsenCh5.DuringTraining("4-hidden", [(0, [0.003, 0.017, 0.07, 0.285]), (499, [0.002, 0.01, 0.05, 0.3])]);
        Assert.Contains("still more than an order of magnitude slower", slower);
        Assert.Contains("layer 1 stayed the slowest hidden layer at every listed epoch", slower);
        string overtaken = NielsenCh5.DuringTraining("3-hidden", [(0, [0.01, 0.05, 0.2]), (10, [0.06, 0.05, 0.1]), (499, [0.3, 0.2, 0.1])]);
        Assert.Contains("3× faster than the last hidden layer", overtaken);
        Assert.Contains("was not the slowest hidden layer at epochs 10, 499", overtaken);
    }

    [Fact]
    public void NielsenCh5_Run_FindingQuotesItsOwnEndRatio()
    {
        var result = Result("nielsen-ch5");
        foreach (string net in new[] { "2-hidden", "3-hidden", "4-hidden" })
        {
            string finding = Assert.Single(result.Findings, f => f.StartsWith(net + ": first hidden ÷ last hidden went from", StringComparison.Ordinal));
            Assert.Contains($"to {Numbers.Ratio(Value(result, net + "/speed-ratio-at-end"))} at epoch", finding);
            Assert.DoesNotContain(result.Tables, t => t.Note?.Contains("order of magnitude slower than the last.", StringComparison.Ordinal) == true);
        }
    }

    [Fact]
    public void GlorotBengio_TopLayer_StatesSaturationOnlyWhenTheRunShowsIt()
    {
        (long, double)[] driven = [(0, 0.5), (10, 0.3), (50, 0.06), (200, 0.04), (400, 0.05), (800, 0.08), (1999, 0.07)];
        var shown = GlorotBengio.TopLayer("sigmoid-standard", driven, [0.5, 0.48, 0.52, 0.5], 1999, "1 epoch");
        Assert.True(shown.Shown);
        Assert.Contains("fell to ≤ 0.1 by step 50", shown.Finding);
        Assert.Contains("(§3.1, Fig. 2)", shown.Finding);
        Assert.DoesNotContain("does not show", shown.Finding);

        (long, double)[] flat = [(0, 0.5), (10, 0.45), (50, 0.4), (1999, 0.35)];
        var notShown = GlorotBengio.TopLayer("sigmoid-standard", flat, [0.5, 0.5, 0.5, 0.5], 1999, "1 epoch");
        Assert.False(notShown.Shown);
        Assert.Contains("went from 0.500 at init to 0.350 at step 1999", notShown.Finding);
        Assert.Contains("this run does not show the top layer driven to 0", notShown.Finding);

        (long, double)[] descent = [(0, 0.504), (300, 0.367), (950, 0.209), (1999, 0.123)];
        var falling = GlorotBengio.TopLayer("sigmoid-standard", descent, [0.5, 0.5, 0.51, 0.61], 1999, "1 epoch");
        Assert.False(falling.Shown);
        Assert.Contains("still falling when the run ended, at 24.4% of its start", falling.Finding);
        Assert.Contains("shows the descent, not the top layer staying near 0", falling.Finding);

        (long, double)[] dip = [(0, 0.5), (10, 0.08), (50, 0.3), (200, 0.4), (1999, 0.45)];
        var brief = GlorotBengio.TopLayer("sigmoid-standard", dip, [0.5], 1999, "1 epoch");
        Assert.False(brief.Shown);
        Assert.Contains("not the lasting saturation of §3.1", brief.Finding);
    }

    [Fact]
    public void GlorotBengio_Run_TopLayerFindingFollowsItsValues()
    {
        var result = Result("glorot-bengio");
        foreach (string name in new[] { "sigmoid-standard", "sigmoid-normalised" })
        {
            string finding = Assert.Single(result.Findings, f => f.StartsWith(name + ": the top hidden layer's mean activation", StringComparison.Ordinal));
            double lowest = Value(result, name + "/top-layer-mean-lowest"), share = Value(result, name + "/top-layer-share-low-after");
            Assert.Contains($"lowest {Numbers.Column(lowest, 3)}", finding);
            Assert.Equal(lowest <= GlorotBengio.Low && share >= GlorotBengio.Stays, finding.Contains("that Glorot & Bengio report for sigmoid units", StringComparison.Ordinal));
        }
        Assert.Contains("§3.1", result.Tables[0].Note);
    }

    [Fact]
    public void DeepLinear_LearningTimes_SayWhatTheStepsShow()
    {
        string falling = DeepLinear.LearningTimeFinding("orthogonal", "at fixed η = 0.01", [107, 45, 13], 3000);
        Assert.Contains("107 / 45 / 13 steps at depth 2 / 8 / 32", falling);
        Assert.Contains("falling 8.2× as depth grows", falling);
        string constant = DeepLinear.LearningTimeFinding("orthogonal", "with η = 0.02/depth", [107, 120, 150], 3000);
        Assert.Contains("within 1.4× of each other: about constant in depth", constant);
        string censored = DeepLinear.LearningTimeFinding("Gaussian", "with η = 0.02/depth", [110, 822, null], 3000);
        Assert.Contains("110 / 822 / > 3000", censored);
        Assert.Contains("rising at least 27.3× as depth grows (depth 32 did not reach", censored);
        string unknown = DeepLinear.LearningTimeFinding("Gaussian", "with η = 0.02/depth", [null, 800, null], 3000);
        Assert.Contains("cannot say", unknown);
    }

    [Fact]
    public void DeepLinear_Condition_AtTheFloat64Floor_IsALowerBound()
    {
        var floor = DeepLinear.Condition(1.0, 1e-17, 32);
        Assert.True(floor.AtFloor);
        Assert.Equal("≥ 1.41e+14 (at machine precision)", floor.Text);
        Assert.Equal(1 / (32 * Math.Pow(2, -52)), floor.Value, 1e-3);
        var measured = DeepLinear.Condition(2.0, 1e-3, 32);
        Assert.False(measured.AtFloor);
        Assert.Equal(2000, measured.Value, 9);
    }

    [Fact]
    public void DeepLinear_Run_ScaledEtaFindingQuotesItsSteps()
    {
        var result = Result("deep-linear");
        string finding = Assert.Single(result.Findings, f => f.StartsWith("orthogonal init with η = 0.02/depth:", StringComparison.Ordinal));
        foreach (int depth in new[] { 2, 8, 32 })
        {
            double steps = Value(result, $"learning/eta-over-depth/orthogonal/depth={depth}/steps");
            Assert.Contains(double.IsFinite(steps) ? $"{steps}" : "> ", finding);
        }
        Assert.DoesNotContain(result.Tables.SelectMany(t => t.Rows).SelectMany(r => r), c => c.StartsWith("1e+1", StringComparison.Ordinal));
    }

    [Fact]
    public void JacobianProducts_Compounding_FollowsTheNumbers()
    {
        Assert.Contains("compounded into 4.6 decades", JacobianProducts.Compounding(100, -4.6, -0.2, 4.0));
        Assert.Contains("under a decade", JacobianProducts.Compounding(5, -0.2, 0, 0.2));
    }

    private static SequenceOutcome Outcome(bool solved, long seen, double wrong, double ratio = 1e-3, double cell = 0.5) =>
        new(solved, seen, wrong, ratio, ratio, cell, 1, 0, Diverged: false);

    [Fact]
    public void LstmAdding_Finding_SaysWhereEachCellSolvedTheTask()
    {
        string lstm = LstmAdding.Finding("lstm", [(50, Outcome(true, 41_600, 0.006)), (100, Outcome(true, 266_240, 0.008))], 400_000);
        Assert.Contains("LSTM solved the task at T = 50 after 41,600 sequences, T = 100 after 266,240 sequences (Hochreiter & Schmidhuber's LSTM: 74,000)", lstm);
        Assert.DoesNotContain("not", lstm);
        string rnn = LstmAdding.Finding("rnn", [(20, Outcome(true, 99_200, 0.008)), (50, Outcome(false, 400_000, 0.84))], 400_000);
        Assert.Contains("RNN solved the task at T = 20 after 99,200 sequences but not at T = 50 (84% wrong) within 400,000 sequences", rnn);
        string none = LstmAdding.Finding("gru", [(20, Outcome(false, 12_000, 0.398))], 12_000);
        Assert.Contains("GRU did not solve it at T = 20 (39.8% wrong) within 12,000 sequences", none);
        Assert.Contains("(5× the RNN's)", LstmAdding.Gradients(50, Outcome(false, 1, 0.8, ratio: 0.1), Outcome(true, 1, 0, cell: 0.5)));
        Assert.Contains("not above the RNN's", LstmAdding.Gradients(50, Outcome(false, 1, 0.8, ratio: 0.1), Outcome(true, 1, 0, cell: 0.05)));
    }

    [Fact]
    public void LstmAdding_Run_FindingsQuoteItsOwnOutcomes()
    {
        var result = Result("lstm-adding");
        foreach (string cell in new[] { "rnn", "lstm", "gru" })
        {
            string finding = Assert.Single(result.Findings, f => f.StartsWith($"Measured: the {cell.ToUpperInvariant()} ", StringComparison.Ordinal));
            foreach (int t in new[] { 20, 50 })
            {
                double seen = Value(result, $"{cell}/T={t}/sequences-to-solve"), wrong = Value(result, $"{cell}/T={t}/fraction-wrong");
                Assert.Contains(double.IsFinite(seen) ? $"T = {t} after {seen:N0} sequences" : $"T = {t} ({Numbers.Percent(wrong)} wrong", finding);
                Assert.Equal(double.IsFinite(seen), wrong < 0.01);
            }
        }
        double rnnRatio = Value(result, "rnn/T=50/gradient-through-time-ratio-at-end"), cellRatio = Value(result, "lstm/T=50/cell-gradient-ratio-at-end");
        Assert.Contains(result.Findings, f => f.Contains($"{Numbers.Short(rnnRatio)} at end", StringComparison.Ordinal) && f.Contains($"is {Numbers.Short(cellRatio)} at end", StringComparison.Ordinal));
        // The vanilla RNN's gradient through time at T = 50 vanishes at init, many decades below the LSTM's.
        Assert.True(Value(result, "rnn/T=50/gradient-through-time-ratio-at-init") < 1e-6 * Value(result, "lstm/T=50/gradient-through-time-ratio-at-init"));
    }

    [Fact]
    public void Run_DataFolder_RecordedAsTheRunsDataSource()
    {
        string dir = Directory.CreateTempSubdirectory("gradscope-repro-data-").FullName;
        try
        {
            var context = new ReproContext(_ => Digits.Value, seed: 1, budget: 0.002, outputDirectory: dir, dataSource: "/data/my-idx-folder");
            var result = new NielsenCh5().Run(context);
            Assert.Equal(3, result.RunDirectories.Count);
            Assert.All(result.RunDirectories, run => Assert.Equal("/data/my-idx-folder", RunRecord.Load(run).Info.Data.Source));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
