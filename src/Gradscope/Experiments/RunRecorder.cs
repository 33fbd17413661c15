using System.Diagnostics;
using System.Numerics;
using Gradscope.Data;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>
/// The probes attached to a training loop of your own, writing a run directory that <c>gradscope report</c>,
/// <c>diagnose</c> (and <c>--verify</c>), <c>inspect</c> and <c>serve</c> read like any other:
/// <code>
/// using var run = new RunRecorder&lt;float&gt;(trainer, "runs/my-net", data.Train, data.Test, epochs);
/// for (int epoch = 1; epoch &lt;= epochs; epoch++) { trainer.TrainEpoch(data.Train); run.EndEpoch(); }
/// run.Complete();
/// </code>
/// Whatever drives the trainer — <see cref="Trainer{T}.TrainEpoch"/> or your own batches through
/// <see cref="Trainer{T}.TrainBatch"/> — is measured: the probe set is one of the trainer's observers, on the
/// schedules of <see cref="ProbeOptions"/> thinned for the run's length as <c>train</c> thins them. run.json keeps the
/// spec (network, training options, probes), so <c>diagnose --verify</c> can re-run it.
/// </summary>
public sealed class RunRecorder<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Trainer<T> _trainer;
    private readonly RunWriter _writer;
    private readonly ProbeSet<T> _probes;
    private readonly IDisposable _attached;
    private readonly Dataset<T> _trainSample;
    private readonly Dataset<T>? _test;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _epoch;
    private bool _done;

    /// <param name="trainer">The trainer of your loop (its network and options are recorded).</param>
    /// <param name="directory">The run directory to create (like <c>train --out</c>'s run directories).</param>
    /// <param name="train">The training set: the reference set is its first examples, and cost and accuracy are read on up to 10,000 of them.</param>
    /// <param name="test">A test set scored after each epoch, or null.</param>
    /// <param name="epochs">How many epochs the loop will run: every probe schedule measures the last step, so "at end" is the end.</param>
    /// <param name="probes">The probe schedules (default: the <c>standard</c> preset).</param>
    /// <param name="name">The run's name (default: the directory's name).</param>
    public RunRecorder(Trainer<T> trainer, string directory, Dataset<T> train, Dataset<T>? test, int epochs, ProbeOptions? probes = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"Invalid epochs: {epochs} (must be at least 1).");
        if (train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(train));
        _trainer = trainer;
        _test = test is { Count: > 0 } ? test : null;
        int batch = Math.Min(trainer.Options.BatchSize, train.Count);
        long steps = epochs * (((long)train.Count + batch - 1) / batch);
        var schedules = (probes ?? ProbeOptions.FromPreset("standard")).ThinnedFor(steps).WithReferenceBudget(batch);
        var spec = new ExperimentSpec
        {
            Name = name ?? Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)),
            Network = trainer.Network.Spec,
            Training = trainer.Options with { Epochs = epochs, BatchSize = batch },
            Probes = schedules,
            Data = new DataSpec { Source = train.Name, Train = train.Count, Test = _test?.Count ?? 0 },
            Precision = typeof(T) == typeof(double) ? "float64" : "float32",
            Seed = trainer.Options.Seed,
        };
        var info = RunInfos.For(spec, new DataInfo(train.Name, train.Count, _test?.Count ?? 0, Math.Min(schedules.ReferenceSize, train.Count)), "library");
        _writer = RunWriter.Create(directory, info);
        _probes = new ProbeSet<T>(trainer.Network, schedules, _writer, train) { FinalStep = trainer.Step + steps - 1 };
        _attached = trainer.Attach(_probes);
        _trainSample = train.Take(10_000);
        Record();
    }

    /// <summary>The run directory's full path.</summary>
    public string Directory => _writer.Directory;

    /// <summary>The probes measuring the loop.</summary>
    public ProbeSet<T> Probes => _probes;

    /// <summary>The first non-finite value the probes met, or null: a loop should stop when it is set.</summary>
    public NonFiniteFinding? NonFinite => _probes.NonFinite;

    /// <summary>After each epoch: cost and accuracy (R² and RMSE for real-valued targets) on the training sample and the test set, into summary.json.</summary>
    public void EndEpoch()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _epoch++;
        Record();
    }

    /// <summary>
    /// Ends the run: complete, or failed when the probes met a non-finite value. A loop that stopped before the
    /// epochs it announced reads "at end" from the last step each schedule measured, as an interrupted run does.
    /// </summary>
    public void Complete()
    {
        if (_done) return;
        _done = true;
        _attached.Dispose();
        if (_probes.NonFinite is { } finding) _writer.Complete(RunStatus.Failed, finding.ToString());
        else _writer.Complete(RunStatus.Complete);
    }

    /// <summary>Without <see cref="Complete"/> (an exception in the loop), run.json says the run was interrupted.</summary>
    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            _attached.Dispose();
        }
        _writer.Dispose();
    }

    private void Record()
    {
        var network = _trainer.Network;
        var onTrain = Evaluation.Of(network, _trainSample, 0, _trainer.Pool);
        var onTest = _test is null ? null : Evaluation.Of(network, _test, 0, _trainer.Pool);
        var summary = new EpochSummary(_epoch, _trainer.Step, onTrain.Cost, onTrain.Accuracy, onTest?.Cost ?? double.NaN, onTest?.Accuracy ?? double.NaN,
            _clock.Elapsed.TotalSeconds);
        if (!_trainSample.HasLabels)
            summary = summary with { TrainRSquared = onTrain.RSquared, TrainRmse = onTrain.Rmse, TestRSquared = onTest?.RSquared, TestRmse = onTest?.Rmse };
        _writer.AddEpoch(summary);
    }
}
