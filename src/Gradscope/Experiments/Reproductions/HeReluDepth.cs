using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments.Reproductions;

/// <summary>
/// He et al. (2015): deep ReLU nets with Glorot ("Xavier") init lose a factor √2 of signal per layer, forward and
/// backward; He init (Var W = 2/n_in) keeps it. Gradient norms by layer at init, and whether training moves.
/// </summary>
public sealed class HeReluDepth : Reproduction
{
    private const int Width = 64;

    public override string Name => "he-relu-depth";
    public override string Description => "He et al. 2015: ReLU nets of 10/20/30 layers, Glorot vs He init — gradient norms by layer and whether training moves.";

    public override ReproResult Run(ReproContext context)
    {
        var (data, test) = context.Sample(10_000, 5_000);
        var summary = new List<string[]>();
        var tables = new List<ReproTable>();
        var findings = new List<string>();
        var directories = new List<string>();
        foreach (int hidden in new[] { 10, 20, 30 })
        {
            var layerRows = new Dictionary<string, double[]>();
            var moved = new Dictionary<string, (double Before, double After)>();
            foreach (var (init, label) in new[] { ("glorot-normal", "Glorot"), ("he-normal", "He") })
            {
                string name = $"{hidden}-layers-{label.ToLowerInvariant()}";
                context.Say($"he-relu-depth: {name}");
                var spec = new ExperimentSpec
                {
                    Name = name,
                    Network = new NetworkSpec
                    {
                        Layers = [data.InputSize, .. Enumerable.Repeat(Width, hidden), data.OutputSize],
                        Activation = "relu", Cost = "log-likelihood", Init = init, BiasInit = "zero",
                    },
                    Training = new TrainingOptions { Eta = 0.01, BatchSize = 10, Epochs = 1 },
                    Probes = new ProbeOptions { Preset = "minimal", Norms = "log+every:100", Reference = "log+every:2000", ReferenceSize = 500 },
                    Data = new DataSpec { Source = "digits", Train = data.Count, Test = test.Count },
                    Seed = context.Seed,
                };
                string? dir = context.RunDirectory(Name, name);
                var outcome = ExperimentRunner.Run(spec, data, test, dir, "reproduce:" + Name);
                if (dir is not null) directories.Add(outcome.Directory!);
                var view = RunViews.Of(outcome, spec);
                var delta = Enumerable.Range(1, hidden).Select(l => view.AtInit(Quantity.DeltaNorm, l)).ToArray();
                layerRows[label] = Enumerable.Range(1, hidden).Select(l => view.Speed(l, atEnd: false)).ToArray();
                double ratio = delta[0] / delta[hidden - 1];
                double predicted = label == "He" ? 1.0 : Math.Pow(2, -(hidden - 1) / 2.0);
                moved[label] = (outcome.Epochs[0].TrainCost, outcome.Epochs[^1].TrainCost);
                summary.Add([$"{hidden}", label, F(ratio), F(predicted), F(outcome.Epochs[0].TrainCost), F(outcome.Epochs[^1].TrainCost),
                    Percent(outcome.Epochs[^1].TestAccuracy)]);
            }
            var rows = Enumerable.Range(0, hidden).Where(i => i == 0 || (i + 1) % 5 == 0 || i == hidden - 1).Distinct()
                .Select(i => new[] { $"{i + 1}", F(layerRows["Glorot"][i]), F(layerRows["He"][i]) }).ToList();
            tables.Add(new ReproTable($"{hidden} hidden ReLU layers of {Width}: speed of learning ‖∂C/∂b^l‖ at init by layer", ["layer", "Glorot init", "He init"], rows));
            findings.Add($"{hidden} layers: training {CostChange(moved["Glorot"])} with Glorot init and {CostChange(moved["He"])} with He init.");
        }
        tables.Insert(0, new ReproTable("first/last hidden-layer ‖δ‖ at init (measured vs the √2-per-layer prediction) and training after one epoch",
            ["hidden layers", "init", "‖δ¹‖/‖δ^H‖", "predicted", "cost at init", "cost after", "test accuracy"], summary,
            "Published (He et al. 2015, §2.2 and Fig. 3): with Xavier init a 30-layer ReLU net stalls and does not learn while He init converges; " +
            "their analysis predicts a factor 1/√2 per layer with Xavier (2^{−(H−1)/2} overall) and 1 with He."));
        return new ReproResult(Name, "He, Zhang, Ren & Sun, Delving Deep into Rectifiers (ICCV 2015)", tables, findings, directories);
    }

    /// <summary>"lowered the cost from 2.3 to 0.41", "raised the cost from 2.3 to 2.31", or "did not move the cost": the direction in words, both values shown.</summary>
    internal static string CostChange((double Before, double After) cost)
    {
        string before = Numbers.Short(cost.Before), after = Numbers.Short(cost.After);
        if (before == after) return $"did not move the cost ({before} before and after, to 3 significant digits)";
        return $"{(cost.After < cost.Before ? "lowered" : "raised")} the cost from {before} to {after}";
    }
}
