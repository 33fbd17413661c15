using System.Globalization;
using Spectre.Console;

namespace Gradscope.Cli.Terminal;

/// <summary>Per-layer tables of a run, read through its <see cref="RunView"/>.</summary>
public static class RunTables
{
    public static Table Layers(RunRecord run) => Layers(new RunView(run ?? throw new ArgumentNullException(nameof(run))), run.Info.Name);

    public static Table Layers(RunView view, string name)
    {
        ArgumentNullException.ThrowIfNull(view);
        bool reference = view.SpeedQuantity == Quantity.ReferenceBiasGradNorm;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{Markup.Escape(Output.Printable(name))} — per layer ({(reference ? "speed on the reference set" : "speed on mini-batches")})");
        table.AddColumns("layer", "units", "activation", "‖∂C/∂b‖ at init", "‖∂C/∂b‖ at end", "‖δ‖", "gain", "weight factor", "σ' factor", "σ' ≈ 0", "dead");
        foreach (var r in view.Rows())
            table.AddRow(Markup.Escape(r.Name), r.Units.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Activation),
                Output.Sci(r.SpeedAtInit), Output.Sci(r.SpeedAtEnd), Output.Sci(r.DeltaNorm),
                Output.Sci(r.Gain), Output.Sci(r.WeightFactor), Output.Sci(r.ActivationFactor),
                Flagged(r.SaturationText, r.SaturationFlagged), Flagged(Output.Percent(r.Dead), r.DeadFlagged));
        return table.Caption(Markup.Escape($"{RatioLine(view)}\nat init = first measurement, at end = the run's last step; {LayerRow.TypicalLabel}\n{LayerRow.SaturationLabel}"));
    }

    /// <summary>A cell in the doctor's colour when the doctor would report it (<see cref="RunView.SaturationFlagged"/>).</summary>
    private static string Flagged(string text, bool flagged) => flagged ? $"[yellow]{Markup.Escape(text)}[/]" : Markup.Escape(text);

    /// <summary>"speed of learning, first hidden ÷ last hidden layer: 1/30 at init, 1/12 at end" (or why there is none).</summary>
    public static string RatioLine(RunView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        SpeedRatio init = view.Ratio(atEnd: false), end = view.Ratio(atEnd: true);
        return init.IsFinite || end.IsFinite
            ? $"speed of learning, {SpeedRatio.Name} layer: {init} at init, {end} at end"
            : $"no {SpeedRatio.Name} speed ratio: {init.Reason}";
    }

    public static Table Epochs(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (new RunView(run).IsRegression) return RegressionEpochs(run);
        var table = new Table().Border(TableBorder.Rounded).Title("cost and accuracy by epoch");
        table.AddColumns("epoch", "step", "train cost", "train accuracy", "test cost", "test accuracy", "seconds");
        foreach (var e in run.Epochs)
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), e.Step.ToString(CultureInfo.InvariantCulture),
                Output.Sci(e.TrainCost), Output.Percent(e.TrainAccuracy), Output.Sci(e.TestCost), Output.Percent(e.TestAccuracy),
                e.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>A regression run's epochs: cost, R² and RMSE (no accuracy).</summary>
    private static Table RegressionEpochs(RunRecord run)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("cost, R² and RMSE by epoch");
        table.AddColumns("epoch", "step", "train cost", "train R²", "train RMSE", "test cost", "test R²", "test RMSE", "seconds");
        foreach (var e in run.Epochs)
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), e.Step.ToString(CultureInfo.InvariantCulture),
                Output.Sci(e.TrainCost), RunView.ScoreCell(e.TrainRSquared ?? double.NaN, true), Output.Sci(e.TrainRmse ?? double.NaN),
                Output.Sci(e.TestCost), RunView.ScoreCell(e.TestRSquared ?? double.NaN, true), Output.Sci(e.TestRmse ?? double.NaN),
                e.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        return table;
    }
}
