using Gradscope.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Gradscope.TorchSharp.Example;

/// <summary>
/// A plain TorchSharp training loop on the embedded digits with the monitor added: the three lines marked
/// "Gradscope" are all it takes.
/// </summary>
public static class Training
{
    /// <summary>Trains <paramref name="model"/> (a name from <see cref="Models.Names"/>) and writes its run to <paramref name="runDirectory"/>.</summary>
    public static void Run(string model, string runDirectory, ExampleOptions options, TextWriter? log = null)
    {
        torch.manual_seed((long)options.Seed);
        var split = Digits.Load(options.Train, options.Test, options.Seed);
        bool images = Models.IsConvolutional(model);
        using var train = Batches.From(split.Train, images);
        using var test = Batches.From(split.Test, images);
        using var net = Models.Create(model);
        using var optimizer = optim.SGD(net.parameters(), options.Eta);

        // Gradscope: attach once, before training.
        using var scope = GradscopeMonitor.Attach(net, new MonitorOptions
        {
            RunDirectory = runDirectory,
            Probes = options.Probes,
            Name = model,
            Cost = "log-likelihood",
            Data = new DataInfo("digits", options.Train, options.Test, 0),
            Seed = options.Seed,
            Settings = [new("optimizer", "sgd"), new("eta", $"{options.Eta}"), new("batch", $"{options.BatchSize}"), new("epochs", $"{options.Epochs}")],
        });

        var (cost, accuracy) = train.Evaluate(net);
        var (testCost, testAccuracy) = test.Evaluate(net);
        scope.RecordEpoch(0, cost, accuracy, testCost, testAccuracy);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            net.train();
            foreach (var (x, y) in train.Shuffled(options.BatchSize, options.Seed + (ulong)epoch))
            {
                using var step = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(net.call(x), y);
                loss.backward();
                scope.Step(loss); // Gradscope: measure, before the optimiser changes the weights.
                optimizer.step();
            }
            (cost, accuracy) = train.Evaluate(net);
            (testCost, testAccuracy) = test.Evaluate(net);
            scope.RecordEpoch(epoch, cost, accuracy, testCost, testAccuracy, clock.Elapsed.TotalSeconds); // Gradscope: the epoch's summary.
            log?.WriteLine($"{model} epoch {epoch}: train cost {cost:0.####} accuracy {accuracy:P1}, test accuracy {testAccuracy:P1}");
        }
        scope.Complete();
    }
}
