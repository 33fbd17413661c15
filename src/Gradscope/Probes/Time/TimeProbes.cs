using System.Numerics;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes.Time;

/// <summary>
/// The probes through time of every recurrent layer, as one training observer: on its due steps it reads each step's
/// view during backprop (no extra pass) and writes the profile ‖∂C/∂h_t‖, its first ÷ last ratio, the per-step gain
/// and factors, the LSTM's ‖∂C/∂c_t‖, W_hh's spectrum against 1/γ, and the gates' statistics (docs/recurrent.md).
/// Due on the reference schedule of <see cref="ProbeOptions"/> (sparse, log-spaced early), and at the final step:
/// a profile is τ records per quantity.
/// </summary>
public sealed class TimeProbes<T> : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IMetricSink _sink;
    private readonly Schedule _schedule;
    private readonly TimeRecords _records = new();
    private readonly Dictionary<int, TimeProbe<T>[]> _probes = [];
    private bool _due;

    public TimeProbes(Network<T> network, ProbeOptions options, IMetricSink sink)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _schedule = Schedule.Parse(options.Reference);
        foreach (var layer in network.Layers)
        {
            if (layer is not RecurrentLayer<T> recurrent) continue;
            var norms = new TimeGradNorm<T>(recurrent.TimeSteps);
            _probes[layer.Index] =
            [
                norms, new TimeGain<T>(norms, recurrent.TimeSteps), new CellGradNorm<T>(), new RecurrentSpectrum<T>(), new GateStatistics<T>(),
            ];
        }
    }

    /// <summary>The run's last step, when known: measured whatever the schedule, as in <see cref="ProbeSet{T}.FinalStep"/>.</summary>
    public long? FinalStep { get; set; }

    /// <summary>Whether the network has any recurrent layer to measure.</summary>
    public bool IsActive => _probes.Count > 0;

    public void OnStepStarting(in StepInfo step)
    {
        _due = _probes.Count > 0 && (step.Step == FinalStep ? _schedule != Schedule.Never : _schedule.IsDue(step.Step));
        _records.Step = step;
    }

    public void OnLayer(in StepInfo step, in LayerView<T> view)
    {
        if (!_due || !_probes.TryGetValue(view.Index, out var probes)) return;
        if (view.Time is int t)
        {
            foreach (var probe in probes) probe.Measure(_records, view, t);
            return;
        }
        var layer = (RecurrentLayer<T>)view.Layer;
        foreach (var probe in probes) probe.Finish(_records, layer, view);
    }

    public void OnStepCompleted(in StepInfo step, Network<T> network)
    {
        if (_due) _records.Flush(_sink);
    }
}
