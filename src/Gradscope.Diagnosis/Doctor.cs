using System.Globalization;

namespace Gradscope.Diagnosis;

/// <summary>
/// Reads a run's metrics and says what is wrong, with the numbers, the mechanism and ranked remedies. It tells
/// vanishing (early layers orders of magnitude slower while the cost is still high) from convergence (small
/// gradients everywhere on a low plateau), and says which factor of the backward gain — σ'(z) or the weights —
/// is responsible. Every number it quotes is read through <see cref="RunView"/>, so a finding and the tables of the
/// same run agree.
/// </summary>
public static partial class Doctor
{
    public static IReadOnlyList<Finding> Diagnose(DiagnosisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var view = new RunView(input.Layers, input.Metrics, input.Epochs);
        var findings = new List<Finding>();
        bool converged = !input.AtInit && Converged(input, view, findings);
        NonFinite(input, view, findings);
        if (!converged)
        {
            VanishingOrExploding(input, view, findings);
            Growth(input, view, findings);
            ThroughTime(input, view, findings);
        }
        Saturation(input, view, findings);
        DeadUnits(input, view, findings);
        UpdateRatios(input, view, findings);
        Noise(input, view, findings);
        return findings.OrderBy(f => Severity.Rank(f.Severity)).ToList();
    }

    private static string N(double v) => Numbers.Short(v);

    /// <summary>"layer 2", "layers 1, 2": the noun agrees with the count.</summary>
    private static string Layers(IEnumerable<int> layers)
    {
        var list = layers.ToList();
        return (list.Count == 1 ? "layer " : "layers ") + string.Join(", ", list);
    }

    private static Finding Make(string kind, string severity, string title, string evidence, string explanation,
        IEnumerable<string> remedies, Dictionary<string, double> numbers, IEnumerable<int> layers) =>
        new(kind, severity, title, evidence, explanation, remedies.Where(Experiments.RemedyRegistry.Contains).Distinct().ToList(), numbers, layers.ToList());

    /// <summary>"at init", or "at end (step N)": the two moments a finding's speeds are read at (<see cref="RunView"/>).</summary>
    private static string When(DiagnosisInput input, RunView view) =>
        input.AtInit ? "at init" : $"at end (step {view.EndStep(view.SpeedQuantity, 1)})";
}
