using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments.Reproductions;

/// <summary>What one recurrent training run on a sequence task gave: the papers' success test and the gradient through time.</summary>
public sealed record SequenceOutcome(bool Solved, long SequencesSeen, double FractionWrong, double RatioAtInit, double RatioAtEnd,
    double CellRatioAtEnd, double LambdaAtInit, double ClipRate, bool Diverged);

/// <summary>
/// Trains a recurrent net on a sequence task until the papers' criterion holds on fresh sequences or the budget runs
/// out: a sequence is wrong when its absolute error exceeds 0.04 (adding) or any output is 0.3 from its target
/// (temporal order, Hochreiter &amp; Schmidhuber 1997); solved when under 1% of the test sequences are wrong.
/// The gradient through time is read from the probes through time (<see cref="ProbeGroup.Time"/>).
/// </summary>
public static class SequenceTraining
{
    public static SequenceOutcome Run(NetworkSpec network, TrainingOptions training, DataSplit data, long maxSequences, int checkEvery, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(data);
        var net = Network<float>.Create(network, seed);
        var atInit = Measure(net, data.Test, Math.Min(128, data.Test.Count));
        using var trainer = new Trainer<float>(net, training with { Seed = seed });
        var clip = new ClipCounter();
        using var counted = trainer.Attach(clip);
        var train = data.Train;
        int batch = training.BatchSize;
        var rng = new Numerics.Rng(seed).Fork(0xDA7A);
        var indices = new int[batch];
        long seen = 0;
        double wrong = FractionWrong(net, data.Test);
        bool solved = wrong < 0.01, diverged = false;
        while (!solved && seen < maxSequences)
        {
            for (int s = 0; s < checkEvery && seen < maxSequences; s++)
            {
                for (int i = 0; i < batch; i++) indices[i] = rng.NextInt(train.Count);
                trainer.TrainBatch(train, indices);
                seen += batch;
            }
            wrong = FractionWrong(net, data.Test);
            if (double.IsNaN(wrong)) { diverged = true; break; }
            solved = wrong < 0.01;
        }
        // The gradient through time at the end: the trained weights on the same test batch as at init.
        var atEnd = diverged ? new RunView([], []) : Measure(net, data.Test, Math.Min(128, data.Test.Count));
        return new SequenceOutcome(solved, seen, wrong, atInit.AtInit(Quantity.TimeGradRatio, 1), atEnd.AtInit(Quantity.TimeGradRatio, 1),
            CellRatio(atEnd), atInit.AtInit(Quantity.RecurrentSpectralNorm, 1), clip.Rate, diverged);
    }

    private static double CellRatio(RunView view)
    {
        var cell = view.ProfileAtInit(Quantity.TimeCellGradNorm, 1);
        return cell.Count > 0 ? cell[0] / cell[^1] : double.NaN;
    }

    /// <summary>The probes through time at every step, and no others.</summary>
    public static ProbeOptions ThroughTimeOnly { get; } = new() { Preset = "none", Norms = "never", Reference = "every:1" };

    /// <summary>One forward and backward pass of <paramref name="batch"/> sequences with the probes through time, no update.</summary>
    public static RunView Measure(Network<float> net, Dataset<float> data, int batch)
    {
        var sink = new MemorySink();
        var probes = new ProbeSet<float>(net, ThroughTimeOnly, sink);
        var ws = new Workspace<float>(net, batch);
        ws.Load(data, 0, batch);
        Backprop.Forward(net, ws, batch);
        var step = new StepInfo(0, 0, batch, double.NaN);
        probes.OnStepStarting(step);
        Backprop.Backward(net, ws, batch, null, [probes], step);
        probes.OnStepCompleted(step, net);
        return new RunView([], sink.Records);
    }

    /// <summary>The share of sequences the papers count as wrong; NaN when an output is not finite.</summary>
    public static double FractionWrong(Network<float> net, Dataset<float> test)
    {
        var ws = new Workspace<float>(net, Math.Min(test.Count, 256));
        int wrong = 0, outputs = net.OutputSize;
        for (int start = 0; start < test.Count; start += ws.Capacity)
        {
            int count = Math.Min(ws.Capacity, test.Count - start);
            ws.Load(test, start, count);
            Backprop.Forward(net, ws, count);
            var a = ws.Output(count);
            for (int r = 0; r < count; r++)
            {
                bool bad = false;
                for (int j = 0; j < outputs; j++)
                {
                    float v = a[r * outputs + j];
                    if (!float.IsFinite(v)) return double.NaN;
                    double error = Math.Abs(v - test.Target(start + r)[j]);
                    bad |= test.HasLabels ? error > SequenceTasks.TemporalOrderTolerance : error > SequenceTasks.AddingTolerance;
                }
                if (bad) wrong++;
            }
        }
        return wrong / (double)test.Count;
    }

    /// <summary>The share of steps whose gradient clipping changed.</summary>
    private sealed class ClipCounter : ITrainingObserver<float>
    {
        private long _steps, _clipped;

        public double Rate => _steps == 0 ? double.NaN : _clipped / (double)_steps;

        public void OnLayer(in StepInfo step, in Observation.LayerView<float> view) { }

        public void OnGradientsReady(in StepInfo step, in GradientSummary gradients)
        {
            if (!gradients.Clipping) return;
            _steps++;
            if (gradients.Clipped) _clipped++;
        }
    }

    /// <summary>A one-layer recurrent net for a task: the spec a reproduction trains.</summary>
    public static NetworkSpec Spec(string cell, int hidden, DataSplit data, string init = "default", double? forgetBias = null)
    {
        bool regression = !data.Train.HasLabels;
        return new NetworkSpec
        {
            Layers = [data.Train.StepInputs, hidden, data.Train.OutputSize],
            Cost = regression ? "quadratic" : "log-likelihood",
            OutputActivation = regression ? "identity" : "softmax",
            Init = "standard-uniform",
            BiasInit = "zero",
            Recurrent = new RecurrentSpec { Cell = cell, Steps = data.Train.Steps, Init = init, ForgetBias = forgetBias },
        };
    }

    /// <summary>‖∂C/∂h_1‖/‖∂C/∂h_τ‖ at init of a net on one batch (no training): the gradient through time before learning.</summary>
    public static (double Ratio, double Lambda, double Radius) AtInit(NetworkSpec network, Dataset<float> data, int batch, ulong seed)
    {
        var view = Measure(Network<float>.Create(network, seed), data, batch);
        return (view.AtInit(Quantity.TimeGradRatio, 1), view.AtInit(Quantity.RecurrentSpectralNorm, 1), view.AtInit(Quantity.RecurrentSpectralRadius, 1));
    }
}
