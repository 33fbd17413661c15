using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Runs;

namespace Gradscope.Diagnosis;

/// <summary>What the doctor reads: the network, the metrics, the epochs and how the run ended.</summary>
public sealed record DiagnosisInput(NetworkSpec Network, IReadOnlyList<MetricRecord> Metrics, IReadOnlyList<EpochSummary> Epochs,
    string Status, string? Failure, bool AtInit = false)
{
    public static DiagnosisInput From(RunRecord run) =>
        new(run.Info.Network, run.Metrics, run.Epochs, run.Info.Status, run.Info.Failure);
}
