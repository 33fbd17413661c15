using System.Globalization;

namespace Gradscope.Cli.Terminal;

/// <summary>Per-layer tables of a run, read through its <see cref="RunView"/>.</summary>
public static class RunTables
{
    public static FittedTable Layers(RunRecord run) => Layers(new RunView(run ?? throw new ArgumentNullException(nameof(run))), run.Info.Name);

    /// <summary>The per-layer table; on a narrow terminal the factors, ‖δ‖ and units are left out first, the speeds never.</summary>
    public static FittedTable Layers(RunView view, string name)
    {
        ArgumentNullException.ThrowIfNull(view);
        bool reference = view.SpeedQuantity == Quantity.ReferenceBiasGradNorm;
        var table = new FittedTable($"{name} — per layer ({(reference ? "speed on the reference set" : "speed on mini-batches")})")
            .AddColumn("layer", wrap: true).AddColumn("units", 3).AddColumn("activation", 4, wrap: true)
            .AddColumn("‖∂C/∂b‖ at init").AddColumn("‖∂C/∂b‖ at end").AddColumn("‖δ‖", 2).AddColumn("gain", 7)
            .AddColumn("weight factor", 1).AddColumn("σ' factor", 1).AddColumn("saturated", 6).AddColumn("dead", 5);
        foreach (var r in view.Rows())
            table.AddRow(r.Name, r.Units.ToString(CultureInfo.InvariantCulture), r.Activation,
                Output.Sci(r.SpeedAtInit), Output.Sci(r.SpeedAtEnd), Output.Sci(r.DeltaNorm),
                Output.Sci(r.Gain), Output.Sci(r.WeightFactor), Output.Sci(r.ActivationFactor),
                Output.Percent(r.Saturated), Output.Percent(r.Dead));
        return table.Caption(RatioLine(view)).Caption($"at init = first measurement, at end = the run's last step; {LayerRow.TypicalLabel}");
    }

    /// <summary>"speed of learning, first hidden ÷ last hidden layer: 1/30 at init, 1/12 at end" (or why there is none).</summary>
    public static string RatioLine(RunView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        SpeedRatio init = view.Ratio(atEnd: false), end = view.Ratio(atEnd: true);
        return init.IsFinite || end.IsFinite
            ? $"speed of learning, {SpeedRatio.Name} layer: {init} at init, {end} at end"
            : $"no {SpeedRatio.Name} speed ratio: {init.Reason}";
    }

    public static FittedTable Epochs(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (new RunView(run).IsRegression) return RegressionEpochs(run);
        var table = new FittedTable("cost and accuracy by epoch")
            .AddColumn("epoch").AddColumn("step", 2).AddColumn("train cost").AddColumn("train accuracy", 4)
            .AddColumn("test cost", 3).AddColumn("test accuracy").AddColumn("seconds", 1);
        foreach (var e in run.Epochs)
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), e.Step.ToString(CultureInfo.InvariantCulture),
                Output.Sci(e.TrainCost), Output.Percent(e.TrainAccuracy), Output.Sci(e.TestCost), Output.Percent(e.TestAccuracy),
                e.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>A regression run's epochs: cost, R² and RMSE (no accuracy).</summary>
    private static FittedTable RegressionEpochs(RunRecord run)
    {
        var table = new FittedTable("cost, R² and RMSE by epoch")
            .AddColumn("epoch").AddColumn("step", 2).AddColumn("train cost").AddColumn("train R²", 5).AddColumn("train RMSE", 4)
            .AddColumn("test cost", 3).AddColumn("test R²").AddColumn("test RMSE", 6).AddColumn("seconds", 1);
        foreach (var e in run.Epochs)
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), e.Step.ToString(CultureInfo.InvariantCulture),
                Output.Sci(e.TrainCost), RunView.ScoreCell(e.TrainRSquared ?? double.NaN, true), Output.Sci(e.TrainRmse ?? double.NaN),
                Output.Sci(e.TestCost), RunView.ScoreCell(e.TestRSquared ?? double.NaN, true), Output.Sci(e.TestRmse ?? double.NaN),
                e.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        return table;
    }
}
