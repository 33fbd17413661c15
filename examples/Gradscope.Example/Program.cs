using System.Globalization;
using Gradscope.Data;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.Example;

/// <summary>
/// Gradscope's probes on a training loop of your own (README, "Use it from C#"): build a network, attach a
/// <see cref="RunRecorder{T}"/> that writes a run directory, train, then <c>gradscope report</c> / <c>diagnose</c> it.
/// <c>dotnet run -c Release --project examples/Gradscope.Example -- runs/my-net 3</c>; the tests run <see cref="Main"/>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string directory = args.Length > 0 ? args[0] : "runs/my-net";
        int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

        // Nielsen's deep sigmoid net on the embedded digits: its first layer learns far slower than its last.
        var data = DataSources.Load("digits", trainCount: 5000, testCount: 1000, seed: 1);
        var network = Network<float>.Create(new NetworkSpec { Layers = [784, 30, 30, 30, 10], Activation = "sigmoid" }, seed: 1);
        using var trainer = new Trainer<float>(network, new TrainingOptions { Eta = 0.1, BatchSize = 10, Seed = 1 });
        using var run = new RunRecorder<float>(trainer, directory, data.Train, data.Test, epochs);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            trainer.TrainEpoch(data.Train);   // or your own batches: trainer.TrainBatch(data.Train, indices)
            run.EndEpoch();                   // cost and accuracy after the epoch
        }
        run.Complete();

        Console.WriteLine($"wrote {run.Directory}: now `gradscope report {run.Directory}` and `gradscope diagnose {run.Directory}`");
        return 0;
    }
}
