using Gradscope.Probes;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp;

/// <summary>
/// A monitored training run (from <see cref="GradscopeMonitor.Attach"/>). Call <see cref="Step"/> once per training
/// step, after <c>loss.backward()</c> and before <c>optimizer.step()</c>; optionally <see cref="RecordEpoch"/> after
/// each epoch. Disposing ends the run: complete when steps were measured and nothing failed.
/// </summary>
public sealed partial class MonitorScope : IDisposable
{
    private readonly nn.Module _model;
    private readonly List<ModuleLayer> _layers;
    private readonly RunWriter _writer;
    private readonly Action _detach;
    private readonly Schedule _norms, _statistics, _update, _histograms;
    private readonly bool _sumLoss;
    private readonly bool _stopOnNonFinite;
    private readonly ScalarType _dtype;
    private readonly List<MetricRecord> _records = [];
    private readonly DeadUnits _dead;
    private readonly long _deadWindow;
    private long _pendingUpdateStep = -1;
    private bool _done;

    internal MonitorScope(nn.Module model, MonitorOptions options, ProbeOptions schedules, List<ModuleLayer> layers, Action detach)
    {
        _model = model;
        _layers = layers;
        _detach = detach;
        _norms = Schedule.Parse(schedules.Norms);
        _statistics = Schedule.Parse(schedules.Statistics);
        _update = Schedule.Parse(schedules.UpdateRatio);
        _histograms = Schedule.Parse(schedules.Histograms);
        _sumLoss = options.LossReduction == LossReduction.Sum;
        _stopOnNonFinite = options.StopOnNonFinite;
        _dead = new DeadUnits(layers.Count);
        _deadWindow = DeadUnits.Window(schedules);
        _dtype = layers[0].Parameters[0].Tensor.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        foreach (var layer in layers)
        {
            layer.Output = Tap(layer.Norm ?? layer.Head);
            if (layer.Activation is not null) layer.ActivationOutput = Tap(layer.Activation);
        }
        Layers = layers.Select(ModuleTree.Describe).ToList();
        try
        {
            _writer = RunWriter.Create(options.RunDirectory, Describe(options, schedules.Preset, Layers, _dtype));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DisposeHooks();
            detach();
            throw new MonitorException($"Cannot write the run to '{options.RunDirectory}': {e.Message}", e);
        }
        Arm();
    }

    /// <summary>The run directory's full path.</summary>
    public string RunDirectory => _writer.Directory;

    /// <summary>The layers as run.json describes them, in forward order (index l = position + 1).</summary>
    public IReadOnlyList<LayerDescriptor> Layers { get; }

    /// <summary>The layers as the monitor holds them (tests read which gradients it keeps).</summary>
    internal IReadOnlyList<ModuleLayer> ModuleLayers => _layers;

    /// <summary>The step the next <see cref="Step"/> call measures (0 first).</summary>
    public long StepCount { get; private set; }

    /// <summary>The epoch recorded with each step: 1 until <see cref="RecordEpoch"/> says otherwise.</summary>
    public int Epoch { get; private set; } = 1;

    /// <summary>The first NaN or infinity seen, or null.</summary>
    public NonFiniteFinding? NonFinite { get; private set; }

    /// <summary>
    /// Measures the step whose gradients backward has just left on the parameters (call it before
    /// <c>optimizer.step()</c>). <paramref name="loss"/> is the step's loss, the cost recorded.
    /// </summary>
    public void Step(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ThrowIfDone();
        using (NewDisposeScope())
        {
            long step = StepCount;
            CollectGradients();
            try
            {
                if (_dtype == ScalarType.Float64) Measure<double>(step, Cost<double>(loss));
                else Measure<float>(step, Cost<float>(loss));
            }
            finally
            {
                ReleaseGradients();
            }
            if (_records.Count > 0)
            {
                _writer.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_records));
                _records.Clear();
            }
        }
        foreach (var layer in _layers) layer.Clear();
        StepCount++;
        Arm();
        if (NonFinite is { } finding && _stopOnNonFinite)
            Fail($"{finding}. Training produced a NaN or infinity; the run is marked failed. `gradscope diagnose {RunDirectory}` explains it.");
    }

    /// <summary>
    /// Writes one line of summary.json: cost and accuracy after epoch <paramref name="epoch"/> (0 = at
    /// initialisation). Steps after it are recorded with epoch <paramref name="epoch"/> + 1.
    /// </summary>
    public void RecordEpoch(int epoch, double trainCost, double trainAccuracy = double.NaN, double testCost = double.NaN,
        double testAccuracy = double.NaN, double seconds = 0)
    {
        ThrowIfDone();
        _writer.AddEpoch(new EpochSummary(epoch, StepCount, trainCost, trainAccuracy, testCost, testAccuracy, seconds));
        Epoch = epoch + 1;
    }

    /// <summary>Ends the run as complete (the last update ratio is measured first). Further calls do nothing.</summary>
    public void Complete()
    {
        if (_done) return;
        using (NewDisposeScope())
        {
            if (_dtype == ScalarType.Float64) MeasurePendingUpdate<double>();
            else MeasurePendingUpdate<float>();
            if (_records.Count > 0) _writer.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_records));
            _records.Clear();
        }
        End(StepCount > 0 ? RunStatus.Complete : RunStatus.Interrupted, StepCount > 0 ? null : "the monitor ended before any step");
    }

    /// <summary>Ends the run: complete if any step was measured and nothing failed (see <see cref="Complete"/>).</summary>
    public void Dispose() => Complete();

    /// <summary>Marks the run failed with <paramref name="message"/>, lets go of the model, and throws it.</summary>
    private void Fail(string message)
    {
        End(RunStatus.Failed, message);
        throw new MonitorException(message);
    }

    private void End(string status, string? failure)
    {
        if (_done) return;
        _done = true;
        DisposeHooks();
        _writer.Complete(status, failure);
        _detach();
    }

    private void ThrowIfDone()
    {
        if (_done) throw new MonitorException($"The monitored run in '{RunDirectory}' has ended; attach a new monitor to record more.");
    }

    private void Arm()
    {
        bool due = _norms.IsDue(StepCount) || _statistics.IsDue(StepCount) || _histograms.IsDue(StepCount);
        foreach (var layer in _layers) layer.Arm(due);
    }

    private void DisposeHooks()
    {
        foreach (var layer in _layers) layer.Dispose();
    }

    private static OutputTap? Tap(nn.Module module)
    {
        var tap = new OutputTap(module);
        if (tap.Hooked) return tap;
        tap.Dispose();
        return null;
    }

    private static RunInfo Describe(MonitorOptions options, string preset, IReadOnlyList<LayerDescriptor> layers, ScalarType dtype)
    {
        var versions = RunVersions.Current();
        versions["torchsharp"] = typeof(nn.Module).Assembly.GetName().Version?.ToString() ?? "?";
        return new RunInfo
        {
            Name = options.Name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RunDirectory))),
            Kind = "torchsharp",
            Inputs = layers.Count > 0 ? layers[0].Inputs : 0,
            Layers = layers,
            Cost = options.Cost,
            Settings = [.. options.Settings, new RunSetting("probes", preset), new RunSetting("framework", "TorchSharp")],
            Data = options.Data ?? new DataInfo("user data", 0, 0, 0),
            Precision = dtype == ScalarType.Float64 ? "float64" : "float32",
            Seed = options.Seed,
            Versions = versions,
        };
    }

    /// <summary>
    /// The exception for a monitor that cannot start; where the run directory can be created it says the same
    /// (status failed), so a reader of the directory learns what happened.
    /// </summary>
    internal static MonitorException Refuse(MonitorOptions options, IReadOnlyList<LayerDescriptor> layers, string message)
    {
        try
        {
            string full = Path.GetFullPath(options.RunDirectory);
            if (!File.Exists(Path.Combine(full, RunFiles.Info)) && !File.Exists(full))
            {
                var writer = RunWriter.Create(full, Describe(options, options.Probes, layers, ScalarType.Float32));
                writer.Complete(RunStatus.Failed, message);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The message is what matters; a directory that cannot be written adds nothing to it.
        }
        return new MonitorException(message);
    }
}
