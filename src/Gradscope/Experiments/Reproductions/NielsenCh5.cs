using System.Globalization;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// Nielsen, Neural Networks and Deep Learning, ch. 5: the speed of learning ‖∂C/∂b^l‖ of each hidden layer,
/// averaged over the first 1,000 training images, for sigmoid nets of 2, 3 and 4 hidden layers at
/// initialisation, and how it evolves during full-batch training on those images (η = 0.1, λ = 5).
/// </summary>
public sealed class NielsenCh5 : Reproduction
{
    public override string Name => "nielsen-ch5";
    public override string Description => "Nielsen ch. 5: speed of learning by hidden layer at init and during training (sigmoid, 2–4 hidden layers).";

    /// <summary>Published values (MNIST, one initialisation): ‖∂C/∂b^l‖ per hidden layer.</summary>
    public static IReadOnlyList<(int[] Layers, double[] Published)> Nets { get; } =
    [
        ([784, 30, 30, 10], [0.07, 0.31]),
        ([784, 30, 30, 30, 10], [0.012, 0.060, 0.283]),
        ([784, 30, 30, 30, 30, 10], [0.003, 0.017, 0.070, 0.285]),
    ];

    public override ReproResult Run(ReproContext context)
    {
        var split = context.Data(1000);
        var images = split.Train.Take(1000);
        int epochs = context.Scaled(500);
        var tables = new List<ReproTable>();
        var findings = new List<string>();
        var values = new List<ReproValue>();
        var directories = new List<string>();
        var initRows = new List<string[]>();
        foreach (var (layers, published) in Nets)
        {
            string name = $"{layers.Length - 2}-hidden";
            context.Say($"nielsen-ch5: {name} [{string.Join(",", layers)}], {epochs} full-batch epochs on {images.Count} images");
            var spec = new ExperimentSpec
            {
                Name = name,
                Network = new NetworkSpec { Layers = layers, Activation = "sigmoid", Cost = "cross-entropy", Init = "scaled-normal", BiasInit = "normal" },
                // Full batch: each step's mini-batch gradient is the gradient over all 1,000 images.
                Training = new TrainingOptions { Eta = 0.1, Lambda = 5, BatchSize = images.Count, Epochs = epochs },
                Probes = new ProbeOptions { Preset = "minimal", Norms = "every:1" },
                Data = new DataSpec { Source = context.DataSource, Train = images.Count, Test = 0 },
                Seed = context.Seed,
            };
            string? dir = context.RunDirectory(Name, name);
            var outcome = ExperimentRunner.Run(spec, images, null, dir, "reproduce:" + Name);
            if (dir is not null) directories.Add(outcome.Directory!);
            var view = RunViews.Of(outcome, spec);
            // Full batch, so the mini-batch speed is the speed over all 1,000 images at each step (epoch).
            double[] SpeedAt(long step) =>
                [.. Enumerable.Range(1, layers.Length - 1).Select(l => view.Records(view.SpeedQuantity, l).FirstOrDefault(r => r.Step == step) is { Quantity: not null } r ? r.Value : double.NaN)];
            var init = SpeedAt(0);
            int hidden = layers.Length - 2;
            initRows.Add([$"[{string.Join(",", layers)}]", .. Enumerable.Range(0, 4).Select(i => i < hidden ? $"{F(init[i])} ({F(published[i])})" : "")]);
            findings.Add($"{name}: speed of learning, {SpeedRatio.Name} layer, at init: {view.Ratio(atEnd: false)} (published {Numbers.Ratio(published[0] / published[^1])}).");
            for (int l = 1; l <= hidden; l++) values.Add(new($"{name}/layer-{l}/speed-at-init", init[l - 1], "‖∂C/∂b‖", published[l - 1]));
            values.Add(new($"{name}/speed-ratio-at-init", view.Ratio(atEnd: false).Value, "first hidden ÷ last hidden", published[0] / published[^1]));

            var rows = new List<string[]>();
            var trajectory = new List<(long Epoch, double[] Speeds)>();
            foreach (long e in new long[] { 0, 1, 2, 5, 10, 20, 50, 100, 200, 300, 400, 500 }.Where(e => e < epochs || e == 0))
            {
                var s = SpeedAt(e);
                trajectory.Add((e, s[..hidden]));
                rows.Add([e.ToString(CultureInfo.InvariantCulture), .. s[..hidden].Select(F)]);
            }
            var last = SpeedAt(epochs - 1);
            if (trajectory[^1].Epoch != epochs - 1) trajectory.Add((epochs - 1, last[..hidden]));
            rows.Add([$"{epochs - 1} (last)", .. last[..hidden].Select(F)]);
            string during = DuringTraining(name, trajectory);
            findings.Add(during);
            values.Add(new($"{name}/speed-ratio-at-end", last[0] / last[hidden - 1], "first hidden ÷ last hidden"));
            tables.Add(new ReproTable($"{name}: speed of learning during full-batch training (η=0.1, λ=5)",
                ["epoch", .. Enumerable.Range(1, hidden).Select(l => $"layer {l}")], rows, "Measured: " + during));
        }
        tables.Insert(0, new ReproTable("speed of learning ‖∂C/∂b^l‖ at init, measured (published on MNIST)",
            ["net", "layer 1", "layer 2", "layer 3", "layer 4"], initRows,
            $"Averaged over the first 1,000 training images of {context.DataSource}; sigmoid, cross-entropy, N(0,1/n_in) weights, N(0,1) biases. One initialisation, so expect scatter around the published numbers."));
        return new ReproResult(Name, "Nielsen, Neural Networks and Deep Learning (2015), chapter 5", tables, findings, directories, values);
    }

    /// <summary>
    /// What the run shows during training, from its own speeds (hidden layers 1…H at each listed epoch, the last
    /// entry the run's last epoch): whether layer 1 stayed the slowest, and how far it ended from the last hidden layer.
    /// </summary>
    public static string DuringTraining(string name, IReadOnlyList<(long Epoch, double[] Speeds)> trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var (first, firstSpeeds) = trajectory[0];
        var (lastEpoch, lastSpeeds) = trajectory[^1];
        double start = firstSpeeds[0] / firstSpeeds[^1], end = lastSpeeds[0] / lastSpeeds[^1];
        if (!double.IsFinite(start) || !double.IsFinite(end) || start <= 0 || end <= 0)
            return $"{name}: the speeds of learning during training were not all measured.";
        var notSlowest = trajectory.Where(t => t.Speeds.Skip(1).Any(s => s < t.Speeds[0])).Select(t => t.Epoch).ToList();
        string ordering = notSlowest.Count == 0
            ? $"layer 1 stayed the slowest hidden layer at every listed epoch"
            : $"layer 1 was not the slowest hidden layer at epoch{(notSlowest.Count > 1 ? "s" : "")} {string.Join(", ", notSlowest.Take(5))}{(notSlowest.Count > 5 ? ", …" : "")}";
        string gap = end switch
        {
            < 0.1 => "still more than an order of magnitude slower than the last hidden layer",
            < 0.5 => $"{Numbers.Ratio(1 / end).TrimEnd('×')}× slower than the last hidden layer",
            <= 2 => "within 2× of the last hidden layer",
            _ => $"{Numbers.Ratio(end)} faster than the last hidden layer",
        };
        string trend = end > 2 * start ? "the gap narrowed" : end < start / 2 ? "the gap widened" : "the gap stayed about the same";
        return $"{name}: first hidden ÷ last hidden went from {Numbers.Ratio(start)} at epoch {first} to {Numbers.Ratio(end)} at epoch {lastEpoch}: " +
            $"{trend}, and layer 1 ended {gap}; {ordering}.";
    }
}
