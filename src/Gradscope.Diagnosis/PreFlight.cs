using System.Numerics;
using Gradscope.Data;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Diagnosis;

/// <summary>
/// The check before any training: one forward and backward pass of the freshly initialised network over the
/// reference set, measured by the probes, then diagnosed. Catches vanishing, exploding, saturated and dead
/// layers before a single step is spent.
/// </summary>
public static class PreFlight
{
    public static (IReadOnlyList<Finding> Findings, IReadOnlyList<MetricRecord> Metrics) Check(ExperimentSpec spec, Dataset<float> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Check(spec, new DataSplit(train, train.Take(0)));
    }

    /// <summary>The check on a split: a float64 spec measures on the split's float64 values (<see cref="DataSplit.Sets{T}"/>).</summary>
    public static (IReadOnlyList<Finding> Findings, IReadOnlyList<MetricRecord> Metrics) Check(ExperimentSpec spec, DataSplit data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        spec.Validate();
        var reference = data.Take(spec.Probes.ReferenceSize, 0);
        var metrics = spec.Precision == "float64"
            ? Measure(Network<double>.Create(spec.Network, spec.Seed), reference.Sets<double>().Train)
            : Measure(Network<float>.Create(spec.Network, spec.Seed), reference.Train);
        var input = new DiagnosisInput(RunInfos.Describe(spec.Network), metrics, [], RunStatus.Running, null, AtInit: true) { Cost = spec.Network.Cost };
        return (Doctor.Diagnose(input), metrics);
    }

    /// <summary>The probes' records for one backward pass of <paramref name="network"/> over <paramref name="reference"/>, no update.</summary>
    public static IReadOnlyList<MetricRecord> Measure<T>(Network<T> network, Dataset<T> reference) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sink = new MemorySink();
        var probes = new ProbeSet<T>(network, new ProbeOptions { Preset = "at-init", Norms = "every:1", Statistics = "every:1", ReferenceSize = Math.Max(1, reference.Count) }, sink);
        var ws = new Workspace<T>(network, reference.Count);
        ws.Load(reference, 0, reference.Count);
        Backprop.Forward(network, ws, reference.Count);
        var step = new StepInfo(0, 0, reference.Count, Backprop.BatchCost(network, ws, reference.Count));
        ITrainingObserver<T> observer = probes;
        observer.OnStepStarting(step);
        Backprop.Backward(network, ws, reference.Count, null, [probes], step);
        observer.OnStepCompleted(step, network);
        return sink.Records;
    }
}
