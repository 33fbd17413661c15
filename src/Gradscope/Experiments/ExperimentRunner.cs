using System.Diagnostics;
using System.Numerics;
using Gradscope.Data;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>The result of a run: where it was written (if anywhere), its final status and trained network's scores.</summary>
public sealed record RunOutcome(string? Directory, string Status, NonFiniteFinding? NonFinite, IReadOnlyList<EpochSummary> Epochs, MemorySink? Memory)
{
    /// <summary>Training steps taken when the run ended (for an interrupted run: where it stopped).</summary>
    public long Steps { get; init; }

    /// <summary>Training steps the spec asked for: epochs × mini-batches per epoch.</summary>
    public long PlannedSteps { get; init; }

    /// <summary>Mini-batches per epoch.</summary>
    public long StepsPerEpoch { get; init; }
}

/// <summary>
/// Runs an <see cref="ExperimentSpec"/>: builds the network (or loads it, <see cref="RunControl.InitFrom"/>), trains
/// it with the probes attached, evaluates after each epoch, writes checkpoints when asked, and writes the run
/// directory (or keeps records in memory when no directory is given) with the trained model.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>The trained model's name inside a run directory.</summary>
    public const string ModelFileName = "model.gsm";

    public static RunOutcome Run(ExperimentSpec spec, Dataset<float> train, Dataset<float>? test, string? directory,
        string kind = "train", IProgress<RunProgress>? progress = null, CancellationToken cancellation = default, IMetricSink? alsoTo = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Run(spec, new DataSplit(train, test ?? train.Take(0)), directory, RunControl.Default with { SaveInRunDirectory = false, AlsoTo = alsoTo },
            kind, progress, cancellation, hasTest: test is not null);
    }

    /// <summary>
    /// Runs on a split; a float64 run uses the split's float64 sets when it has them (<see cref="DataSplit.Sets{T}"/>:
    /// a data file's values, byte pixels and the digits are never rounded to float32 on the way).
    /// </summary>
    public static RunOutcome Run(ExperimentSpec spec, DataSplit data, string? directory, RunControl control,
        string kind = "train", IProgress<RunProgress>? progress = null, CancellationToken cancellation = default, bool hasTest = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(control);
        spec.Validate();
        bool scored = hasTest && data.Test.Count > 0;
        if (spec.Precision == "float64")
        {
            var (train64, test64) = data.Sets<double>();
            return Run(spec, train64, scored ? test64 : null, directory, kind, progress, cancellation, control, null);
        }
        return Run(spec, data.Train, scored ? data.Test : null, directory, kind, progress, cancellation, control, null);
    }

    /// <summary>Continues the run in <paramref name="directory"/> from its newest checkpoint (<c>train --resume</c>).</summary>
    public static RunOutcome Resume(ExperimentSpec spec, DataSplit data, string directory, string checkpoint,
        IProgress<RunProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        var header = Checkpoint.ReadHeader(checkpoint);
        var control = new RunControl
        {
            SavePath = header.SavePath,
            SaveInRunDirectory = header.SaveInRunDirectory,
            Checkpoints = header.CheckpointEvery is { } every ? CheckpointSchedule.Parse(every) : null,
            CheckpointsKept = header.CheckpointsKept,
            Scaling = data.Scaling,
        };
        bool scored = data.Test.Count > 0;
        if (spec.Precision == "float64")
        {
            var (train64, test64) = data.Sets<double>();
            return Run(spec, train64, scored ? test64 : null, directory, "train", progress, cancellation, control, checkpoint);
        }
        return Run(spec, data.Train, scored ? data.Test : null, directory, "train", progress, cancellation, control, checkpoint);
    }

    public static RunOutcome Run<T>(ExperimentSpec spec, Dataset<T> train, Dataset<T>? test, string? directory,
        string kind, IProgress<RunProgress>? progress, CancellationToken cancellation, IMetricSink? alsoTo = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(spec, train, test, directory, kind, progress, cancellation, RunControl.Default with { SaveInRunDirectory = false, AlsoTo = alsoTo }, null);

    private static RunOutcome Run<T>(ExperimentSpec spec, Dataset<T> train, Dataset<T>? test, string? directory,
        string kind, IProgress<RunProgress>? progress, CancellationToken cancellation, RunControl control, string? resumeFrom)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(train);
        var network = control.InitFrom is { } from && resumeFrom is null ? LoadModel<T>(from, spec.Network) : Network<T>.Create(spec.Network, spec.Seed);
        // A batch larger than the training set is the whole set; recording it so keeps step counts in range.
        var training = spec.Training with { Seed = spec.Seed, BatchSize = Math.Min(spec.Training.BatchSize, Math.Max(1, train.Count)) };
        var info = RunInfos.For(spec with { Training = training }, new DataInfo(spec.Data.Source, train.Count, test?.Count ?? 0,
            Math.Min(spec.Probes.ReferenceSize, train.Count)), kind);
        MemorySink? memory = directory is null ? new MemorySink() : null;
        var epochs = new List<EpochSummary>();
        using var trainer = new Trainer<T>(network, training);
        long batches = ((long)train.Count + training.BatchSize - 1) / training.BatchSize;
        var latestSink = new ForwardingSink();
        var latest = new LatestValues(latestSink, RunView.SpeedQuantities);
        var probes = new ProbeSet<T>(network, spec.Probes, latest, train) { FinalStep = training.Epochs * batches - 1 };
        double secondsBefore = 0;
        RunWriter? writer;
        if (resumeFrom is not null)
        {
            var header = Checkpoint.Restore(resumeFrom, network, trainer, probes);
            var recorded = RunRecordInfo(directory!);
            writer = RunWriter.Resume(directory!, recorded, header.MetricsLength, header.Epochs, header.Step);
            epochs.AddRange(header.Epochs);
            secondsBefore = header.Seconds;
        }
        else writer = directory is null ? null : RunWriter.Create(directory, info);
        using var writing = writer;
        IMetricSink sink = (IMetricSink?)writer ?? memory!;
        if (control.AlsoTo is { } alsoTo) sink = new TeeSink(sink, alsoTo); // e.g. TensorBoard events as records arrive
        latestSink.Target = sink;
        var clock = Stopwatch.StartNew();
        string status = RunStatus.Complete;
        string? failure = null;
        NonFiniteFinding? nonFinite = null;
        try
        {
            // The progress line reads the probes' own newest speeds (RunView.LatestSpeeds), and every schedule
            // measures the final step, so the last line shows the run's at-end values.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var stopper = new NonFiniteStopper<T>(probes, stop);
            // Whatever the probes measure (none, with --probes none), the cost of every step and the parameters at
            // every evaluation are checked, so a diverged run never reads as complete.
            var guard = new DivergenceGuard<T>(sink, stop);
            using var a1 = trainer.Attach(probes);
            using var a2 = trainer.Attach(stopper);
            using var a3 = trainer.Attach(guard);

            void SaveCheckpoint()
            {
                if (writer is null) return;
                var header = new CheckpointHeader
                {
                    Step = trainer.Step, Epoch = trainer.Epoch, MetricsLength = writer.FlushMetrics(), Epochs = [.. epochs],
                    Seconds = secondsBefore + clock.Elapsed.TotalSeconds, CheckpointEvery = control.Checkpoints?.ToString(),
                    CheckpointsKept = control.CheckpointsKept, SavePath = control.SavePath is null ? null : Path.GetFullPath(control.SavePath),
                    SaveInRunDirectory = control.SaveInRunDirectory, Precision = spec.Precision, Scaling = control.Scaling,
                };
                Checkpoint.Save(writer.Directory, header, network, trainer, probes);
            }
            if (control.Checkpoints is { } schedule && writer is not null)
                trainer.AfterStep = () =>
                {
                    // Epoch ends are checkpointed after the epoch's evaluation, below, so a resumed run never repeats it.
                    if (trainer.MidEpoch && schedule.IsDue(trainer.Step, epochEnd: false)) SaveCheckpoint();
                };
            // Training figures are on (up to) the first 10,000 examples, taken once for every epoch.
            var trainSample = train.Take(10_000);
            void Record(int epoch)
            {
                var onTrain = Evaluation.Of(network, trainSample, 0, trainer.Pool);
                var onTest = test is { Count: > 0 } ? Evaluation.Of(network, test, 0, trainer.Pool) : null;
                var summary = new EpochSummary(epoch, trainer.Step, onTrain.Cost, onTrain.Accuracy,
                    onTest?.Cost ?? double.NaN, onTest?.Accuracy ?? double.NaN, secondsBefore + clock.Elapsed.TotalSeconds);
                if (!train.HasLabels)
                    summary = summary with
                    {
                        TrainRSquared = onTrain.RSquared, TrainRmse = onTrain.Rmse, TestRSquared = onTest?.RSquared, TestRmse = onTest?.Rmse,
                    };
                epochs.Add(summary);
                writer?.AddEpoch(summary);
                (control.AlsoTo as IEpochSink)?.AddEpoch(summary);
                guard.CheckEvaluation(trainer.Step, epoch, onTrain.Cost, network);
                var (speeds, speedStep) = RunView.LatestSpeeds(latest, network.Depth);
                progress?.Report(new RunProgress(spec.Name, epoch, training.Epochs, onTrain.Cost,
                    onTest?.Accuracy ?? onTrain.Accuracy, speeds, speedStep, secondsBefore + clock.Elapsed.TotalSeconds)
                {
                    RSquared = onTest?.RSquared ?? onTrain.RSquared,
                    ScoreOnTest = onTest is not null,
                });
            }

            if (resumeFrom is null)
            {
                // With no epochs, the at-init record is all there is: the given weights measured as diagnose --at-init
                // measures them (unless --probes none asked for nothing).
                if (training.Epochs == 0 && probes.Options.Preset != "none")
                {
                    // The reference set as the one batch: on a small data set it is the whole set, and the dead-unit
                    // window (at most the reference set) is that batch.
                    var atInit = new ProbeSet<T>(network, AtInitOptions(spec.Probes) with { ReferenceSize = Math.Max(1, Math.Min(spec.Probes.ReferenceSize, train.Count)) }, latest, train);
                    MeasureAtInit(network, train.Take(Math.Min(spec.Probes.ReferenceSize, train.Count)), [atInit]);
                }
                Record(0);
            }
            for (int epoch = trainer.Epoch + 1; epoch <= training.Epochs && guard.Finding is null; epoch++)
            {
                if (!trainer.TrainEpoch(train, stop.Token)) break;
                Record(epoch);
                if (control.Checkpoints is { } every && (every.EveryEpoch || every.IsDue(trainer.Step, epochEnd: true)) && epoch < training.Epochs)
                    SaveCheckpoint();
            }
            trainer.AfterStep = null;
            if (Earliest(probes.NonFinite, guard.Finding) is { } finding)
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
            if (status != RunStatus.Failed) SaveModel(network, writer?.Directory, control);
        }
        catch (Exception e) when (writer is not null)
        {
            writer.Complete(RunStatus.Failed, e.Message);
            throw;
        }
        writer?.Complete(status, failure);
        return new RunOutcome(writer?.Directory, status, nonFinite, epochs, memory)
        {
            Steps = trainer.Step, PlannedSteps = training.Epochs * batches, StepsPerEpoch = batches,
        };
    }

    /// <summary>
    /// The probes of a run of no steps: what diagnose --at-init measures (norms, statistics, the reference set) and
    /// the spectral, Jacobian and histogram probes the preset asks for, all at step 0; no update ratio, as there is
    /// no update.
    /// </summary>
    private static ProbeOptions AtInitOptions(ProbeOptions options)
    {
        string AtStepZero(string schedule) => Schedule.Parse(schedule) == Schedule.Never ? "never" : "every:1";
        return options with
        {
            Norms = "every:1", Statistics = "every:1", Reference = "every:1", UpdateRatio = "never",
            Histograms = AtStepZero(options.Histograms), Spectral = AtStepZero(options.Spectral), Jacobian = AtStepZero(options.Jacobian),
        };
    }

    /// <summary>
    /// One forward and backward pass over <paramref name="reference"/> with no update, seen by the probes as step 0:
    /// the reference-set speeds, ‖δ‖, gains and factors, saturation and dead units at the given weights, each as
    /// far as the probes' schedules ask for it at step 0.
    /// </summary>
    private static void MeasureAtInit<T>(Network<T> network, Dataset<T> reference, ITrainingObserver<T>[] observers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ws = new Workspace<T>(network, reference.Count);
        ws.Load(reference, 0, reference.Count);
        Backprop.Forward(network, ws, reference.Count);
        var step = new StepInfo(0, 0, reference.Count, Backprop.BatchCost(network, ws, reference.Count));
        foreach (var observer in observers) observer.OnStepStarting(step);
        Backprop.Backward(network, ws, reference.Count, null, observers, step);
        foreach (var observer in observers) observer.OnStepCompleted(step, network);
    }

    private static NonFiniteFinding? Earliest(NonFiniteFinding? a, NonFiniteFinding? b) =>
        a is null ? b : b is null ? a : b.Step < a.Step ? b : a;

    /// <summary>A saved model as the start of a run: <c>.npz</c> (sizes from the file, the rest from the spec) or a Gradscope model file.</summary>
    public static Network<T> LoadModel<T>(string path, NetworkSpec spec) where T : unmanaged, IFloatingPointIeee754<T> =>
        path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? NpzModel.Load<T>(path, spec) : ModelFile.Load<T>(path);

    /// <summary>Writes the model where the control says: model.gsm in the run directory, and <see cref="RunControl.SavePath"/>.</summary>
    private static void SaveModel<T>(Network<T> network, string? directory, RunControl control) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (directory is not null && control.SaveInRunDirectory) ModelFile.Save(network, Path.Combine(directory, ModelFileName), control.Scaling);
        if (control.SavePath is not { } path) return;
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)) NpzModel.Save(network, path);
        else ModelFile.Save(network, path, control.Scaling);
    }

    private static RunInfo RunRecordInfo(string directory) =>
        System.Text.Json.JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(Path.Combine(directory, RunFiles.Info)), JsonDefaults.Options)
            ?? throw new InvalidDataException($"{directory}: empty run.json.");

    /// <summary>Passes records on to a sink chosen after the probes are built (a resumed run's writer opens after the checkpoint is read).</summary>
    private sealed class ForwardingSink : IMetricSink
    {
        public IMetricSink? Target { get; set; }

        public void Add(in MetricRecord record) => Target!.Add(record);

        public void AddRange(ReadOnlySpan<MetricRecord> records) => Target!.AddRange(records);
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
