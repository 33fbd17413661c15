namespace Gradscope.Server;

/// <summary>
/// The gradient-through-time heatmap of a recurrent run: log₁₀‖∂C/∂h_t‖ by time step t (rows) and training step
/// (columns), read from <see cref="RunView"/>'s profiles. The run page shows the section only for runs that have
/// such records (a recurrent layer measured by the probes through time).
/// </summary>
internal static class ThroughTime
{
    public static bool Available(RunView view) => view.HasProfile(Quantity.TimeGradNorm);

    /// <summary>
    /// One layer's profiles at up to <paramref name="points"/> measured steps, as log₁₀ (null where not finite or
    /// not positive, so the page leaves the cell blank), index t − 1.
    /// </summary>
    public static object Of(RunView view, int layer, int points)
    {
        var layers = view.ProfileLayers(Quantity.TimeGradNorm);
        if (layers.Count > 0 && !layers.Contains(layer)) layer = layers[0];
        var steps = view.ProfileSteps(Quantity.TimeGradNorm, layer);
        var picked = Downsample.Picks(steps.Count, points).Select(i => steps[i]).ToList();
        return new
        {
            layer, layers,
            timeSteps = view.TimeSteps(Quantity.TimeGradNorm, layer),
            steps = picked,
            log10 = picked.Select(s => view.Profile(Quantity.TimeGradNorm, layer, s).Select(v => v > 0 ? Downsample.Finite(Math.Log10(v)) : null)),
        };
    }
}
