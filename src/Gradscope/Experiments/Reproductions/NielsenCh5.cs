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
                Data = new DataSpec { Source = "first 1000 training images", Train = images.Count, Test = 0 },
                Seed = context.Seed,
            };
            string? dir = context.RunDirectory(Name, name);
            var outcome = ExperimentRunner.Run(spec, images, null, dir, "reproduce:" + Name);
            if (dir is not null) directories.Add(outcome.Directory!);
            var view = RunViews.Of(outcome, spec);
            // Full batch, so the mini-batch speed is the speed over all 1,000 images at each step (epoch).
            double[] SpeedAt(long step) =>
                [.. Enumerable.Range(1, layers.Length - 1).Select(l => view.Records(view.SpeedQuantity, l).FirstOrDefault(r => r.Step == step) is { Quantity: not null } r ? r.Value : 0)];
            var init = SpeedAt(0);
            int hidden = layers.Length - 2;
            initRows.Add([$"[{string.Join(",", layers)}]", .. Enumerable.Range(0, 4).Select(i => i < hidden ? $"{F(init[i])} ({F(published[i])})" : "")]);
            findings.Add($"{name}: speed of learning, {SpeedRatio.Name} layer, at init: {view.Ratio(atEnd: false)} (published {Numbers.Ratio(published[0] / published[^1])}).");

            var rows = new List<string[]>();
            foreach (long e in new long[] { 0, 1, 2, 5, 10, 20, 50, 100, 200, 300, 400, 500 }.Where(e => e < epochs || e == 0))
            {
                var s = SpeedAt(e);
                rows.Add([e.ToString(System.Globalization.CultureInfo.InvariantCulture), .. s[..hidden].Select(F)]);
            }
            var last = SpeedAt(epochs - 1);
            rows.Add([$"{epochs - 1} (last)", .. last[..hidden].Select(F)]);
            tables.Add(new ReproTable($"{name}: speed of learning during full-batch training (η=0.1, λ=5)",
                ["epoch", .. Enumerable.Range(1, hidden).Select(l => $"layer {l}")], rows,
                "Nielsen's plots show the same ordering throughout training: the first hidden layer stays about an order of magnitude slower than the last."));
        }
        tables.Insert(0, new ReproTable("speed of learning ‖∂C/∂b^l‖ at init, measured (published on MNIST)",
            ["net", "layer 1", "layer 2", "layer 3", "layer 4"], initRows,
            "Averaged over the first 1,000 training images; sigmoid, cross-entropy, N(0,1/n_in) weights, N(0,1) biases. One initialisation, so expect scatter around the published numbers."));
        return new ReproResult(Name, "Nielsen, Neural Networks and Deep Learning (2015), chapter 5", tables, findings, directories);
    }
}
