using System.Numerics;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>
/// Fails a run that diverged, whatever its probes. The batch cost of every step is computed (a few logarithms per
/// example of the output layer): NaN stops the run at once. An infinite batch cost can be a float32 sigmoid output
/// saturated at exactly 0 or 1, so it is only remembered; at each evaluation the cost on the training sample and
/// every parameter must be finite, and a failure there is dated to the first step whose cost was not finite. The
/// failure is kept as a <see cref="NonFiniteFinding"/> and a <see cref="Quantity.NonFinite"/> record, and training stops.
/// </summary>
internal sealed class DivergenceGuard<T>(IMetricSink sink, CancellationTokenSource stop) : ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private (long Step, int Epoch)? _firstInfinite;

    public NonFiniteFinding? Finding { get; private set; }

    public bool WantsBatchCost => Finding is null;

    public void OnLayer(in StepInfo step, in Observation.LayerView<T> view)
    {
    }

    public void OnStepCompleted(in StepInfo step, Network<T> network)
    {
        if (Finding is not null || double.IsFinite(step.Cost)) return;
        _firstInfinite ??= (step.Step, step.Epoch);
        if (double.IsNaN(step.Cost)) Fail(step.Step, step.Epoch, network);
    }

    /// <summary>The cost on the training sample and every parameter after an evaluation.</summary>
    public void CheckEvaluation(long step, int epoch, double cost, Network<T> network)
    {
        if (Finding is not null || (double.IsFinite(cost) && FirstNonFiniteLayer(network) == 0)) return;
        var (at, atEpoch) = _firstInfinite ?? (Math.Max(0, step - 1), epoch);
        Fail(at, atEpoch, network);
    }

    private void Fail(long step, int epoch, Network<T> network)
    {
        // Where it is known: the first layer whose parameters the update made non-finite, else the output's cost.
        int layer = FirstNonFiniteLayer(network);
        Finding = layer > 0
            ? new NonFiniteFinding(step, epoch, layer, "update")
            : new NonFiniteFinding(step, epoch, network.Depth, "forward");
        sink.Add(new MetricRecord(step, epoch, Finding.Layer, Quantity.NonFinite, 1));
        stop.Cancel();
    }

    private static int FirstNonFiniteLayer(Network<T> network)
    {
        foreach (var parameter in network.Parameters)
            foreach (var v in parameter.Values)
                if (!T.IsFinite(v)) return parameter.Layer;
        return 0;
    }
}
