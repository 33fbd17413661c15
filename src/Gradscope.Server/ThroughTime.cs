namespace Gradscope.Server;

/// <summary>
/// The gradient-through-time heatmap of a recurrent run: ‖∂C/∂h_t‖ by time step t (rows) and training step
/// (columns). Metric records carry no time position yet (recurrent layers come next), so no run has such records
/// and the run page hides the section; the page draws it with the same heatmap as the histograms once they exist.
/// </summary>
internal static class ThroughTime
{
    public static bool Available(RunView view) => false;
}
