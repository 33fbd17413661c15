using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>Specs of recurrent runs: the defaults a <c>--cell</c> run starts from, and a spec fitted to its sequence data.</summary>
public static class SequenceSpecs
{
    /// <summary>
    /// One recurrent layer of 128 with PyTorch's initialisation and a linear read-out (U(±1/√H) weights, zero bias);
    /// the adding task's real-valued target takes a linear output and the quadratic cost, the classification tasks
    /// softmax and log-likelihood; a reference set of 128 sequences. Adam at η = 0.001, batches of 32, no L2, one epoch of 10,000 sequences.
    /// </summary>
    public static ExperimentSpec Defaults(string? dataSource)
    {
        bool regression = string.Equals(dataSource, "adding", StringComparison.OrdinalIgnoreCase) || dataSource is null;
        return new ExperimentSpec
        {
            Network = new NetworkSpec
            {
                Layers = [2, 128, 1],
                Activation = "tanh",
                Cost = regression ? "quadratic" : "log-likelihood",
                OutputActivation = regression ? "identity" : "softmax",
                Init = "standard-uniform",
                BiasInit = "zero",
                Recurrent = new RecurrentSpec(),
            },
            Training = new TrainingOptions { Eta = 0.001, BatchSize = 32, Epochs = 1, Lambda = 0, Optimizer = "adam", Threads = Environment.ProcessorCount },
            Data = new DataSpec { Source = dataSource ?? "adding", Train = 10_000, Test = 1_000 },
            // Every reference pass keeps τ steps of each example: 128 sequences, not 1,000 images.
            Probes = Probes.ProbeOptions.FromPreset("standard") with { ReferenceSize = 128 },
        };
    }

    /// <summary>
    /// The spec with its input and output sizes and its τ taken from the data (recurrent specs only). The outputs per
    /// step are the data's per target step; whether there is a target at every step is the spec's own choice
    /// (<c>--outputs</c>), checked against the data where it is loaded.
    /// </summary>
    public static ExperimentSpec Fit(ExperimentSpec spec, Dataset<float> train)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(train);
        if (spec.Network.Recurrent is not { } recurrent) return spec;
        int[] layers = [train.StepInputs, .. spec.Network.Layers[1..^1], train.StepOutputs];
        return spec with
        {
            Network = spec.Network with { Layers = layers, Recurrent = recurrent with { Steps = train.Steps } },
            Data = spec.Data with { Length = SequenceTasks.IsTask(spec.Data.Source) ? train.Steps : spec.Data.Length },
        };
    }
}
