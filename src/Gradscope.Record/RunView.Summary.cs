namespace Gradscope.Record;

public sealed partial class RunView
{
    /// <summary>The per-layer table's rows, l = 1…L (<see cref="LayerRow"/>).</summary>
    public IReadOnlyList<LayerRow> Rows() => [.. Enumerable.Range(1, Depth).Select(Row)];

    public LayerRow Row(int l) => new(l, LayerName(l), Layers[l - 1].Units, Layers[l - 1].Activation ?? "–",
        Speed(l, atEnd: false), Speed(l, atEnd: true),
        Typical(Quantity.DeltaNorm, l), Typical(Quantity.Gain, l), Typical(Quantity.WeightFactor, l), Typical(Quantity.ActivationFactor, l),
        Typical(Quantity.SaturatedFraction, l), Typical(Quantity.DeadFraction, l));

    /// <summary>
    /// The product over layers 1…L−2 of a factor of the backward gain (<see cref="Quantity.WeightFactor"/> or
    /// <see cref="Quantity.ActivationFactor"/>), each at its typical value: the gains of those layers carry δ from the
    /// last hidden layer back to the first, so the two products split the speed ratio between weights and σ'.
    /// NaN when there is no pair of hidden layers; 1 when the pair is adjacent.
    /// </summary>
    public double FactorProduct(string factor)
    {
        if (Depth < 3) return double.NaN;
        double log = 0;
        for (int l = 1; l <= Depth - 2; l++) log += Math.Log(Typical(factor, l));
        return Math.Exp(log);
    }

    /// <summary>
    /// How many of the run's training steps have measurements, how many steps it trained (0 for a run of no step),
    /// and the usual gap between measured steps (the norms' schedule; log-spaced extras and the final step aside).
    /// </summary>
    public (long Measured, long Trained, long Every) MeasuredSteps()
    {
        var steps = Series.SelectMany(s => Records(s.Quantity, s.Layer)).Select(r => r.Step).Distinct().Order().ToList();
        long trained = Math.Max(Epochs.Count > 0 ? Epochs.Max(e => e.Step) : 0, steps.Count > 0 && steps[^1] > 0 ? steps[^1] + 1 : 0);
        long every = steps.Count < 2 ? 1
            : steps.Zip(steps.Skip(1), (a, b) => b - a).GroupBy(gap => gap).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return (steps.Count(s => s < Math.Max(1, trained)), trained, every);
    }

    /// <summary>The last epoch's summary, or null before the first.</summary>
    public EpochSummary? FinalEpoch => Epochs.Count > 0 ? Epochs[^1] : null;

    /// <summary>Whether the run scored a test set (else accuracy and cost are on the training sample).</summary>
    public bool HasTest => FinalEpoch is { } e && (double.IsFinite(e.TestAccuracy) || e.TestRSquared is not null);

    /// <summary>Whether the run fitted real values: it reports R² and RMSE instead of accuracy.</summary>
    public bool IsRegression => FinalEpoch?.IsRegression ?? false;

    /// <summary>R² after the last epoch, on the same examples as <see cref="FinalAccuracy"/> would be (NaN for classification).</summary>
    public double FinalRSquared => FinalEpoch is { } e ? (HasTest ? e.TestRSquared : e.TrainRSquared) ?? double.NaN : double.NaN;

    /// <summary>RMSE after the last epoch, on the same examples as <see cref="FinalRSquared"/>.</summary>
    public double FinalRmse => FinalEpoch is { } e ? (HasTest ? e.TestRmse : e.TrainRmse) ?? double.NaN : double.NaN;

    /// <summary>The headline score: accuracy for classification, R² for regression (as a fraction; NaN when absent).</summary>
    public double FinalScore => IsRegression ? FinalRSquared : FinalAccuracy;

    /// <summary>The name of <see cref="FinalScore"/> in a table header.</summary>
    public string ScoreName => IsRegression ? "R²" : "accuracy";

    /// <summary>The final score as every view prints it: "accuracy 93.1%", or "R² 0.512 · RMSE 53.2".</summary>
    public string FinalScoreText => IsRegression
        ? $"R² {Fixed(FinalRSquared)} · RMSE {Numbers.Short(FinalRmse)}"
        : ScoreText(FinalAccuracy, double.NaN);

    /// <summary>"accuracy 93.1%" for a classification score, "R² 0.512" when <paramref name="rSquared"/> is finite.</summary>
    public static string ScoreText(double accuracy, double rSquared) =>
        double.IsFinite(rSquared) ? $"R² {Fixed(rSquared)}"
        : double.IsFinite(accuracy) ? $"accuracy {Numbers.Percent(accuracy)}"
        : "accuracy n/a";

    /// <summary>One score cell of a table: a percentage for accuracy, three decimals for R², "–" when absent.</summary>
    public static string ScoreCell(double value, bool regression) =>
        !double.IsFinite(value) ? "–"
        : regression ? Fixed(value)
        : Numbers.Percent(value);

    private static string Fixed(double v) => double.IsFinite(v) ? v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Accuracy after the last epoch: on the test set when there was one, else on the training sample.</summary>
    public double FinalAccuracy => FinalEpoch is { } e ? (HasTest ? e.TestAccuracy : e.TrainAccuracy) : double.NaN;

    /// <summary>Cost after the last epoch, on the same examples as <see cref="FinalAccuracy"/>.</summary>
    public double FinalCost => FinalEpoch is { } e ? (HasTest ? e.TestCost : e.TrainCost) : double.NaN;

    /// <summary>Cost at init, on the same examples as <see cref="FinalCost"/>.</summary>
    public double InitialCost => Epochs.Count > 0 ? (HasTest ? Epochs[0].TestCost : Epochs[0].TrainCost) : double.NaN;

    /// <summary>
    /// The speed of learning of layers 1…L as a live view sees it mid-run: the newest record of
    /// <see cref="SpeedOf"/>(reference set seen) per layer, and the step of the newest. Once the run's final step
    /// is measured these are exactly <see cref="AtEnd"/> of the speed quantity.
    /// </summary>
    public static (double[] Speeds, long Step) LatestSpeeds(LatestValues latest, int depth)
    {
        ArgumentNullException.ThrowIfNull(latest);
        string quantity = SpeedOf(latest.Has(Quantity.ReferenceBiasGradNorm));
        var speeds = new double[depth];
        long step = -1;
        for (int l = 1; l <= depth; l++)
        {
            var r = latest.Latest(quantity, l);
            speeds[l - 1] = r?.Value ?? double.NaN;
            if (r is { } m) step = Math.Max(step, m.Step);
        }
        return (speeds, step);
    }

    /// <summary>The quantities a <see cref="LatestValues"/> must keep for <see cref="LatestSpeeds"/>.</summary>
    public static string[] SpeedQuantities => [Quantity.ReferenceBiasGradNorm, Quantity.BiasGradNorm];
}
