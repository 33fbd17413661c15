using Gradscope.Probes;
using Spectre.Console;

namespace Gradscope.Cli.Terminal;

/// <summary>Per-layer tables of a run, read from its record.</summary>
public static class RunTables
{
    /// <summary>Nielsen's speed of learning per layer (reference set when measured, else mini-batch).</summary>
    public static string SpeedQuantity(RunRecord run) =>
        Quantity.SpeedOfLearning(run.Metrics.Any(m => m.Quantity == Quantity.ReferenceBiasGradNorm));

    public static Table Layers(RunRecord run)
    {
        string speed = SpeedQuantity(run);
        var atInit = run.ByLayer(speed);
        var atEnd = run.ByLayer(speed, last: true);
        var gain = run.MeanByLayer(Quantity.Gain);
        var weightFactor = run.MeanByLayer(Quantity.WeightFactor);
        var activationFactor = run.MeanByLayer(Quantity.ActivationFactor);
        var saturated = run.MeanByLayer(Quantity.SaturatedFraction);
        var dead = run.MeanByLayer(Quantity.DeadFraction);
        int depth = run.Info.Depth;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{Markup.Escape(run.Info.Name)} — per layer ({(speed == Quantity.ReferenceBiasGradNorm ? "speed on the reference set" : "speed on mini-batches")})");
        table.AddColumns("layer", "units", "‖∂C/∂b‖ at init", "‖∂C/∂b‖ at end", "÷ last (init)", "gain", "weight factor", "σ' factor", "saturated", "dead");
        for (int l = 1; l <= depth; l++)
        {
            table.AddRow(
                l == depth ? $"{l} (output)" : l.ToString(System.Globalization.CultureInfo.InvariantCulture),
                run.Info.Layer(l).Units.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Output.Sci(atInit[l]), Output.Sci(atEnd[l]), Output.Sci(atInit[l] / atInit[depth]),
                Output.Sci(gain[l]), Output.Sci(weightFactor[l]), Output.Sci(activationFactor[l]),
                Output.Percent(saturated[l]), Output.Percent(dead[l]));
        }
        return table;
    }

    public static Table Epochs(RunRecord run)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("cost and accuracy by epoch");
        table.AddColumns("epoch", "step", "train cost", "train accuracy", "test cost", "test accuracy", "seconds");
        foreach (var e in run.Epochs)
            table.AddRow(e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Output.Sci(e.TrainCost), Output.Percent(e.TrainAccuracy), Output.Sci(e.TestCost), Output.Percent(e.TestAccuracy),
                e.Seconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        return table;
    }
}
