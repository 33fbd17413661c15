using System.Diagnostics;
using System.Numerics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>The result of a run: where it was written (if anywhere), its final status and trained network's scores.</summary>
public sealed record RunOutcome(string? Directory, string Status, NonFiniteFinding? NonFinite, IReadOnlyList<EpochSummary> Epochs, MemorySink? Memory);

/// <summary>
/// Runs an <see cref="ExperimentSpec"/>: builds the network, trains it with the probes attached, evaluates
/// after each epoch, and writes the run directory (or keeps records in memory when no directory is given).
/// </summary>
public static class ExperimentRunner
{
    public static RunOutcome Run(ExperimentSpec spec, Dataset<float> train, Dataset<float>? test, string? directory,
        string kind = "train", IProgress<RunProgress>? progress = null, CancellationToken cancellation = default, IMetricSink? alsoTo = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        return spec.Precision == "float64"
            ? Run<double>(spec, train.Convert<double>(), test?.Convert<double>(), directory, kind, progress, cancellation, alsoTo)
            : Run<float>(spec, train, test, directory, kind, progress, cancellation, alsoTo);
    }

    public static RunOutcome Run<T>(ExperimentSpec spec, Dataset<T> train, Dataset<T>? test, string? directory,
        string kind, IProgress<RunProgress>? progress, CancellationToken cancellation, IMetricSink? alsoTo = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = Network<T>.Create(spec.Network, spec.Seed);
        var training = spec.Training with { Seed = spec.Seed };
        var info = RunInfos.For(spec with { Training = training }, new DataInfo(spec.Data.Source, train.Count, test?.Count ?? 0,
            Math.Min(spec.Probes.ReferenceSize, train.Count)), kind);
        MemorySink? memory = directory is null ? new MemorySink() : null;
        using var writer = directory is null ? null : RunWriter.Create(directory, info);
        IMetricSink sink = (IMetricSink?)writer ?? memory!;
        if (alsoTo is not null) sink = new TeeSink(sink, alsoTo); // e.g. TensorBoard events as records arrive
        var epochs = new List<EpochSummary>();
        var clock = Stopwatch.StartNew();
        string status = RunStatus.Complete;
        string? failure = null;
        NonFiniteFinding? nonFinite = null;
        try
        {
            using var trainer = new Trainer<T>(network, training);
            // The progress line reads the probes' own newest speeds (RunView.LatestSpeeds), and every schedule
            // measures the final step, so the last line shows the run's at-end values.
            var latest = new LatestValues(sink, RunView.SpeedQuantities);
            long batches = (train.Count + training.BatchSize - 1) / training.BatchSize;
            var probes = new ProbeSet<T>(network, spec.Probes, latest, train) { FinalStep = training.Epochs * batches - 1 };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var stopper = new NonFiniteStopper<T>(probes, stop);
            using var a1 = trainer.Attach(probes);
            using var a2 = trainer.Attach(stopper);
            // The gradient through time of recurrent layers, on the probes' reference schedule.
            var timeProbes = new Probes.Time.TimeProbes<T>(network, spec.Probes, latest) { FinalStep = probes.FinalStep };
            using var a3 = timeProbes.IsActive ? trainer.Attach(timeProbes) : null;

            // Training figures are on (up to) the first 10,000 examples, taken once for every epoch.
            var trainSample = train.Take(10_000);
            void Record(int epoch)
            {
                var onTrain = Evaluation.Of(network, trainSample, 0, trainer.Pool);
                var onTest = test is { Count: > 0 } ? Evaluation.Of(network, test, 0, trainer.Pool) : null;
                var summary = new EpochSummary(epoch, trainer.Step, onTrain.Cost, onTrain.Accuracy,
                    onTest?.Cost ?? double.NaN, onTest?.Accuracy ?? double.NaN, clock.Elapsed.TotalSeconds);
                epochs.Add(summary);
                writer?.AddEpoch(summary);
                (alsoTo as IEpochSink)?.AddEpoch(summary);
                var (speeds, speedStep) = RunView.LatestSpeeds(latest, network.Depth);
                progress?.Report(new RunProgress(spec.Name, epoch, training.Epochs, onTrain.Cost,
                    onTest?.Accuracy ?? onTrain.Accuracy, speeds, speedStep, clock.Elapsed.TotalSeconds));
            }

            Record(0);
            for (int epoch = 1; epoch <= training.Epochs; epoch++)
            {
                if (!trainer.TrainEpoch(train, stop.Token)) break;
                Record(epoch);
            }
            if (probes.NonFinite is { } finding)
            {
                nonFinite = finding;
                status = RunStatus.Failed;
                failure = finding.ToString();
            }
            else if (cancellation.IsCancellationRequested)
            {
                status = RunStatus.Interrupted;
                failure = "interrupted by the user";
            }
        }
        catch (Exception e) when (writer is not null)
        {
            writer.Complete(RunStatus.Failed, e.Message);
            throw;
        }
        writer?.Complete(status, failure);
        return new RunOutcome(writer?.Directory, status, nonFinite, epochs, memory);
    }

    /// <summary>Stops training at the first non-finite value.</summary>
    private sealed class NonFiniteStopper<T>(ProbeSet<T> probes, CancellationTokenSource stop) : ITrainingObserver<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void OnLayer(in StepInfo step, in Observation.LayerView<T> view)
        {
        }

        public void OnStepCompleted(in StepInfo step, Network<T> network)
        {
            if (probes.NonFinite is not null) stop.Cancel();
        }
    }
}
