using System.Globalization;

namespace Gradscope.Cli.Terminal;

/// <summary>The gradient through time of each recurrent layer, compactly: ‖∂C/∂h_t‖ at the first, middle and last steps.</summary>
public static class TimeTables
{
    /// <summary>The steps a profile is shown at: 1, τ/4, τ/2, 3τ/4, τ (without repeats).</summary>
    public static int[] Columns(int steps) => [.. new[] { 1, steps / 4, steps / 2, 3 * steps / 4, steps }.Where(t => t >= 1).Distinct()];

    /// <summary>One table for every recurrent layer of the run, or null when it has none.</summary>
    public static FittedTable? Profiles(RunView view, string name)
    {
        ArgumentNullException.ThrowIfNull(view);
        var layers = view.ProfileLayers(Quantity.TimeGradNorm);
        if (layers.Count == 0) return null;
        int steps = layers.Max(l => view.TimeSteps(Quantity.TimeGradNorm, l));
        int[] columns = Columns(steps);
        // On a narrow terminal the middle time steps and the gate go first; the first and last step stay.
        var table = new FittedTable($"{name} — gradient through time ‖∂C/∂h_t‖").AddColumn("layer", wrap: true).AddColumn("when", wrap: true);
        foreach (int t in columns) table.AddColumn($"t = {t.ToString(CultureInfo.InvariantCulture)}", t == 1 || t == steps ? FittedTable.Always : 2);
        table.AddColumn("first ÷ last", 5).AddColumn("λ₁(W_hh)", 4).AddColumn("1/γ", 3).AddColumn("forget gate", 1);
        foreach (int l in layers)
            foreach (bool end in new[] { false, true })
            {
                var profile = end ? view.ProfileAtEnd(Quantity.TimeGradNorm, l) : view.ProfileAtInit(Quantity.TimeGradNorm, l);
                var cells = new List<string> { $"layer {l}", end ? $"at end (step {view.ProfileSteps(Quantity.TimeGradNorm, l)[^1]})" : "at init" };
                cells.AddRange(columns.Select(t => Output.Sci(t <= profile.Count ? profile[t - 1] : double.NaN)));
                Func<string, int, double> read = end ? view.AtEnd : view.AtInit;
                cells.Add(Output.Sci(read(Quantity.TimeGradRatio, l)));
                cells.Add(Output.Sci(read(Quantity.RecurrentSpectralNorm, l)));
                cells.Add(Output.Sci(read(Quantity.RecurrentBound, l)));
                cells.Add(Output.Sci(read(Quantity.GateMean('f'), l)));
                table.AddRow([.. cells]);
            }
        return table.Caption("first ÷ last = ‖∂C/∂h_1‖ / ‖∂C/∂h_τ‖ (≪ 1: vanishing through time); λ₁ < 1/γ: the step Jacobians' product must vanish (Pascanu et al. 2013)");
    }
}
