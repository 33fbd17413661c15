using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Training;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// Hinton's lecture 6e (RMSProp): "the magnitude of the gradient can be very different for different weights and can
/// change during learning". Where does the spread of log₁₀|∂C/∂w| come from — depth, the step, SGD noise, or the
/// weights of one layer? Nielsen's [784,30,30,30,30,10] with sigmoid, tanh and ReLU, trained at batch sizes 1, 10,
/// 100 and the full reference set; then the spread of |Δw|/η with RMSProp (decay 0.9) against plain SGD.
/// Method and numbers: docs/reproductions.md.
/// </summary>
public sealed class GradientMagnitudes : Reproduction
{
    private const double SgdEta = 0.05;
    private const double RmsEta = 0.001;
    private const int UpdateBatch = 10;

    public override string Name => "gradient-magnitudes";
    public override string Description => "Hinton lecture 6e: why gradient magnitudes vary — depth, steps, SGD noise or weights (variance of log|∂C/∂w|), and RMSProp's updates vs SGD's.";

    /// <summary>The three nets: label, hidden activation, weight init, cost, bias init.</summary>
    public static IReadOnlyList<(string Label, string Activation, string Init, string Cost, string BiasInit)> Nets { get; } =
    [
        ("sigmoid", "sigmoid", "scaled-normal", "cross-entropy", "normal"),
        ("tanh", "tanh", "glorot-normal", "log-likelihood", "zero"),
        ("relu", "relu", "he-normal", "log-likelihood", "zero"),
    ];

    public override ReproResult Run(ReproContext context)
    {
        int n = context.Scaled(1000, 200);
        var reference = context.Data(n).Train.Take(n).Convert<double>();
        n = reference.Count;
        int steps = context.Scaled(300, 20), draws = context.Scaled(20, 8), perLayer = 200, points = 6;
        int[] batches = [.. new[] { 1, 10, 100 }.Where(b => b < n), n];
        var cells = new List<MagnitudeCell>();
        var scaling = new List<NoiseScaling>();
        var spreads = new List<UpdateSpread>();
        foreach (var net in Nets)
        {
            var spec = new NetworkSpec { Layers = [reference.InputSize, 30, 30, 30, 30, reference.OutputSize], Activation = net.Activation, Init = net.Init, Cost = net.Cost, BiasInit = net.BiasInit };
            foreach (int b in batches)
            {
                context.Say($"gradient-magnitudes: {net.Label}, B={b}, {steps} SGD steps on {n} examples");
                var run = new TrainingRun(spec, reference, context.Seed, perLayer, draws, b == UpdateBatch ? batches[..^1] : []);
                run.Train(new TrainingOptions { Eta = SgdEta, BatchSize = b, Seed = context.Seed }, b, steps, points, recordUpdates: b == UpdateBatch);
                cells.Add(new MagnitudeCell(net.Label, b, b == n, VarianceDecomposition.Of(run.Samples), run.ReferenceBias, run.ZeroFraction));
                if (b != UpdateBatch) continue;
                spreads.Add(run.Spread(net.Label, "sgd"));
                double v1 = run.Scaling[1];
                scaling.AddRange(run.Scaling.Keys.Order().Select(s => new NoiseScaling(net.Label, s, run.Scaling[s] / v1, (n - s) / ((double)s * (n - 1)), VarianceDecomposition.Of(run.ScalingSamples[s]).Noise)));
            }
            context.Say($"gradient-magnitudes: {net.Label}, RMSProp (decay 0.9), B={UpdateBatch}");
            var rms = new TrainingRun(spec, reference, context.Seed, perLayer, draws, []);
            rms.Train(new TrainingOptions { Eta = RmsEta, BatchSize = UpdateBatch, Seed = context.Seed, Optimizer = "rmsprop", Decay = 0.9 }, UpdateBatch, steps, 0, recordUpdates: true);
            spreads.Add(rms.Spread(net.Label, "rmsprop"));
        }
        return GradientMagnitudesReport.Result(Name, cells, scaling, spreads, n, steps, draws, perLayer);
    }

    /// <summary>One training run with its measurements at sampled steps.</summary>
    private sealed class TrainingRun
    {
        private readonly Network<double> _net;
        private readonly Dataset<double> _reference;
        private readonly GradientMagnitudesMeter _meter;
        private readonly Rng _draws;
        private readonly int _drawCount;
        private readonly int[] _scalingBatches;
        private readonly List<MagnitudeSample> _updates = [];
        private double _biasSum;
        private long _biasCount, _zeros, _gradients;

        public TrainingRun(NetworkSpec spec, Dataset<double> reference, ulong seed, int perLayer, int draws, int[] scalingBatches)
        {
            _net = Network<double>.Create(spec, seed);
            _reference = reference;
            // The same weights are sampled for every batch size and optimiser of one net: one stream per seed.
            _meter = new GradientMagnitudesMeter(_net, reference, perLayer, new Rng(seed).Fork(0x4D41_474E)); // "MAGN"
            _draws = new Rng(seed).Fork(0x4452_4157); // "DRAW"
            _drawCount = draws;
            _scalingBatches = scalingBatches;
            foreach (int b in scalingBatches) { Scaling[b] = 0; ScalingSamples[b] = []; }
        }

        public List<MagnitudeSample> Samples { get; } = [];
        public double ReferenceBias => _biasCount == 0 ? 0 : _biasSum / _biasCount;
        public double ZeroFraction => _gradients == 0 ? 0 : (double)_zeros / _gradients;

        /// <summary>Per scaling batch size: Σ over steps and layers of E(g_B − g_ref)²/E g_ref² (a sum; only ratios are read).</summary>
        public Dictionary<int, double> Scaling { get; } = [];
        public Dictionary<int, List<MagnitudeSample>> ScalingSamples { get; } = [];

        public void Train(TrainingOptions options, int batch, int steps, int points, bool recordUpdates)
        {
            using var trainer = new Trainer<double>(_net, options);
            var measured = points == 0 ? [] : Enumerable.Range(0, points).Select(i => (long)Math.Round(i * (double)steps / (points - 1))).ToHashSet();
            int point = 0;
            for (int t = 0; t <= steps; t++)
            {
                if (measured.Contains(t)) Measure(batch, point++);
                if (t == steps) break;
                var before = recordUpdates ? _meter.Values() : null;
                trainer.TrainBatch(_reference, Draw(batch), _reference.Count);
                if (before is null) continue;
                var after = _meter.Values();
                for (int l = 0; l < after.Length; l++)
                    for (int w = 0; w < after[l].Length; w++)
                    {
                        double step = Math.Abs(after[l][w] - before[l][w]) / options.Eta;
                        if (step > 0) _updates.Add(new MagnitudeSample(l + 1, t, w, Math.Log10(step)));
                    }
            }
        }

        /// <summary>At the current weights: g_ref over every reference example, and K mini-batch gradients of each size.</summary>
        private void Measure(int batch, int point)
        {
            var reference = _meter.Gradient();
            Draws(batch, point, reference, Samples, trackBias: true);
            foreach (int b in _scalingBatches)
            {
                var squares = Draws(b, point, reference, ScalingSamples[b], trackBias: false);
                for (int l = 0; l < reference.Length; l++)
                {
                    double scale = reference[l].Average(g => g * g);
                    if (scale > 0) Scaling[b] += squares[l] / scale;
                }
            }
        }

        /// <summary>Adds log₁₀|g_k| of K draws to <paramref name="samples"/>; returns per layer the mean (g_k − g_ref)².</summary>
        private double[] Draws(int batch, int point, double[][] reference, List<MagnitudeSample> samples, bool trackBias)
        {
            // Every mini-batch of the full reference set is the reference set: one draw, no noise.
            int k = batch >= _reference.Count ? 1 : _drawCount;
            var squares = new double[reference.Length];
            var logSums = reference.Select(r => new double[r.Length]).ToArray();
            var logCounts = reference.Select(r => new int[r.Length]).ToArray();
            for (int d = 0; d < k; d++)
            {
                var g = batch >= _reference.Count ? reference : _meter.Gradient(Draw(batch));
                for (int l = 0; l < g.Length; l++)
                    for (int w = 0; w < g[l].Length; w++)
                    {
                        double diff = g[l][w] - reference[l][w];
                        squares[l] += diff * diff / (k * g[l].Length);
                        if (trackBias) _gradients++;
                        if (g[l][w] == 0) { if (trackBias) _zeros++; continue; }
                        double y = Math.Log10(Math.Abs(g[l][w]));
                        samples.Add(new MagnitudeSample(l + 1, point, w, y));
                        logSums[l][w] += y;
                        logCounts[l][w]++;
                    }
            }
            if (trackBias)
                for (int l = 0; l < reference.Length; l++)
                    for (int w = 0; w < reference[l].Length; w++)
                        if (logCounts[l][w] > 0 && reference[l][w] != 0)
                        {
                            double offset = logSums[l][w] / logCounts[l][w] - Math.Log10(Math.Abs(reference[l][w]));
                            _biasSum += offset * offset;
                            _biasCount++;
                        }
            return squares;
        }

        private int[] Draw(int batch)
        {
            int[] order = [.. Enumerable.Range(0, _reference.Count)];
            if (batch >= order.Length) return order;
            _draws.Shuffle(order);
            return order[..batch];
        }

        public UpdateSpread Spread(string net, string optimizer)
        {
            var logs = _updates.Select(s => s.Log).Order().ToArray();
            double range = logs.Length == 0 ? 0 : logs[(int)(0.9 * (logs.Length - 1))] - logs[(int)(0.1 * (logs.Length - 1))];
            return new UpdateSpread(net, optimizer, VarianceDecomposition.Of(_updates), range);
        }
    }
}
