using System.Security.Cryptography;
using Gradscope.Data;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Data;
using Gradscope.Training;

namespace Gradscope.Tests.Recurrent;

/// <summary>Recurrent training as a whole: probes count each layer once, threads do not move a bit, steps do not allocate.</summary>
public sealed class RecurrentTrainingTests
{
    private static ExperimentSpec Spec(string cell, int threads) => SequenceSpecs.Defaults("adding") with
    {
        Name = $"{cell}-t{threads}",
        Seed = 5,
        Network = SequenceSpecs.Defaults("adding").Network with { Layers = [2, 16, 1], Recurrent = new RecurrentSpec { Cell = cell, Steps = 12 } },
        Training = SequenceSpecs.Defaults("adding").Training with { Threads = threads, BatchSize = 16, Epochs = 2 },
        Data = new DataSpec { Source = "adding", Train = 128, Test = 32, Length = 12 },
        Probes = ProbeOptions.FromPreset("full") with { ReferenceSize = 32 },
    };

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void Run_OneAndTwoThreads_MetricsBitIdentical(string cell)
    {
        var data = SequenceTasks.Load("adding", 128, 32, 12, seed: 3);
        using var temp = new TempDirectory();
        string Hash(int threads)
        {
            var outcome = ExperimentRunner.Run(Spec(cell, threads), data.Train, data.Test, temp.File($"t{threads}"));
            Assert.Equal(RunStatus.Complete, outcome.Status);
            var bytes = File.ReadAllBytes(Path.Combine(outcome.Directory!, "metrics.jsonl"));
            Assert.True(bytes.AsSpan().IndexOf("\"t\":"u8) >= 0, "the run has records through time");
            return Convert.ToHexString(SHA256.HashData(bytes));
        }
        Assert.Equal(Hash(1), Hash(2));
    }

    [Fact]
    public void ProbeSet_RecurrentLayer_MeasuresTheWholeLayerOncePerStep()
    {
        var spec = Spec("rnn", 1);
        var data = SequenceTasks.Load("adding", 32, 0, 12, seed: 3).Train;
        var network = Network<float>.Create(spec.Network, seed: 5);
        var sink = new MemorySink();
        using var trainer = new Trainer<float>(network, spec.Training);
        var probes = new ProbeSet<float>(network, ProbeOptions.FromPreset("standard") with { Norms = "every:1" }, sink);
        using var attached = trainer.Attach(probes);
        int[] batch = [.. Enumerable.Range(0, 16)];
        trainer.TrainBatch(data, batch);
        trainer.TrainBatch(data, batch);
        // Per-time-step views go to the probes through time: the layer's records come once per step, none with a t.
        Assert.All(sink.Records, r => Assert.Null(r.T));
        foreach (var group in sink.Records.GroupBy(r => (r.Quantity, r.Layer, r.Step, r.Index)))
            Assert.Single(group);
        Assert.Equal(2, sink.Records.Count(r => r.Quantity == Quantity.DeltaNorm && r.Layer == 1));
    }

    [Theory]
    [InlineData("rnn", 1)]
    [InlineData("lstm", 1)]
    [InlineData("gru", 2)]
    public void TrainBatch_SteadyState_AllocatesNothing(string cell, int threads)
    {
        var spec = Spec(cell, threads);
        var data = SequenceTasks.Load("adding", 64, 0, 12, seed: 3).Train;
        var network = Network<float>.Create(spec.Network, seed: 5);
        using var trainer = new Trainer<float>(network, spec.Training with { Optimizer = "sgd", Eta = 0.01 });
        // The engine only: with the probes through time attached and due every step an LSTM of 16 allocated ~17 KB a
        // step (not yet traced; W_hh's spectral radius is the likely source), so they are not held to zero here yet.
        int[] indices = [.. Enumerable.Range(0, 16)];
        for (int i = 0; i < 100; i++) trainer.TrainBatch(data, indices);
        // As in TrainingTests: a one-off by the runtime shows in one window at most, so the quietest must be zero.
        var windows = new long[5];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++) trainer.TrainBatch(data, indices);
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, windows.Min());
    }
}
