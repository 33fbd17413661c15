
namespace Gradscope.Diagnosis;

/// <summary>What the doctor reads: the layers (as the record describes them), the metrics, the epochs and how the run ended.</summary>
public sealed record DiagnosisInput(IReadOnlyList<LayerDescriptor> Layers, IReadOnlyList<MetricRecord> Metrics, IReadOnlyList<EpochSummary> Epochs,
    string Status, string? Failure, bool AtInit = false)
{
    /// <summary>A run's record; a complete run that took no step (<c>train --epochs 0</c>) is judged as at init.</summary>
    public static DiagnosisInput From(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Info.Layers, run.Metrics, run.Epochs, run.Info.Status, run.Info.Failure, AtInit: IsUntrained(run));
    }

    /// <summary>Whether <paramref name="run"/> finished without a training step: its only evaluation is at step 0.</summary>
    public static bool IsUntrained(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Info.Status == RunStatus.Complete && run.Epochs.Count > 0 && run.Epochs.All(e => e.Step == 0);
    }
}
