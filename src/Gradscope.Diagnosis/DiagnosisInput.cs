
namespace Gradscope.Diagnosis;

/// <summary>What the doctor reads: the layers (as the record describes them), the metrics, the epochs and how the run ended.</summary>
public sealed record DiagnosisInput(IReadOnlyList<LayerDescriptor> Layers, IReadOnlyList<MetricRecord> Metrics, IReadOnlyList<EpochSummary> Epochs,
    string Status, string? Failure, bool AtInit = false)
{
    /// <summary>The cost the run trained with ("" when unknown): an output saturated under its matched cost is not a finding.</summary>
    public string Cost { get; init; } = "";

    public static DiagnosisInput From(RunRecord run) =>
        new(run.Info.Layers, run.Metrics, run.Epochs, run.Info.Status, run.Info.Failure) { Cost = run.Info.Cost };
}
