using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>
/// What a remedy's flags may depend on in the run it treats: its η and mini-batch (for <c>lower-eta</c> and
/// <c>larger-batch</c>) and its measured gradient norm (for the <c>clip-norm</c> thresholds).
/// </summary>
/// <param name="MeanGradientNorm">Mean over measured steps of the global gradient norm √(Σ_l ‖∂C/∂W^l‖² + ‖∂C/∂b^l‖²); NaN when not measured.</param>
public sealed record RemedyContext(double Eta, int BatchSize, double MeanGradientNorm)
{
    /// <summary>
    /// The spec the treated run was made from, when known: a remedy whose flags leave it as it is (the run already
    /// took it) is not prescribed.
    /// </summary>
    public ExperimentSpec? Spec { get; init; }

    /// <summary>The context of a run made from <paramref name="spec"/>, its norms read from <paramref name="metrics"/> where given.</summary>
    public static RemedyContext Of(ExperimentSpec spec, IReadOnlyList<MetricRecord>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Of(spec.Training, metrics) with { Spec = spec };
    }

    /// <summary>The context of a run trained with <paramref name="training"/>, its norms read from <paramref name="metrics"/> where given.</summary>
    public static RemedyContext Of(TrainingOptions training, IReadOnlyList<MetricRecord>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        var perStep = (metrics ?? []).Where(m => m.Quantity is Quantity.WeightGradNorm or Quantity.BiasGradNorm && double.IsFinite(m.Value))
            .GroupBy(m => m.Step).Select(g => Math.Sqrt(g.Sum(m => m.Value * m.Value))).ToList();
        return new RemedyContext(training.Eta, training.BatchSize, perStep.Count == 0 ? double.NaN : perStep.Average());
    }
}
