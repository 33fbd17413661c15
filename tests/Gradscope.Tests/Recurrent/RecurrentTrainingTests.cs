using System.Security.Cryptography;
using Gradscope.Data;
using Gradscope.Experiments.Reproductions;
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
        // Per-time-step views go to the probes through time alone: per-layer records come once per step, none with a
        // t, and each profile through time once per t.
        Assert.All(sink.Records.Where(r => r.T is not null), r => Assert.StartsWith("time_", r.Quantity, StringComparison.Ordinal));
        foreach (var group in sink.Records.GroupBy(r => (r.Quantity, r.Layer, r.Step, r.Index, r.T)))
            Assert.Single(group);
        Assert.Equal(2, sink.Records.Count(r => r.Quantity == Quantity.DeltaNorm && r.Layer == 1));
        Assert.Equal(2 * 12, sink.Records.Count(r => r.Quantity == Quantity.TimeGradNorm && r.Layer == 1));
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

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void TrainBatch_TimeProbesDueEveryStep_AllocatesNothing(string cell)
    {
        var spec = Spec(cell, 1);
        var data = SequenceTasks.Load("adding", 64, 0, 12, seed: 3).Train;
        var network = Network<float>.Create(spec.Network, seed: 5);
        using var trainer = new Trainer<float>(network, spec.Training with { Optimizer = "sgd", Eta = 0.01 });
        // A sink that keeps nothing: what a sink does with the records is its own cost (RunWriter copies them into
        // chunks it reuses; MemorySink grows a list), and the probes hand it no arrays to keep.
        var sink = new CountingSink();
        var probes = new ProbeSet<float>(network, SequenceTraining.ThroughTimeOnly, sink);
        using var attached = trainer.Attach(probes);
        int[] indices = [.. Enumerable.Range(0, 16)];
        for (int i = 0; i < 50; i++) trainer.TrainBatch(data, indices);
        long before = sink.Count;
        var windows = new long[5];
        for (int w = 0; w < windows.Length; w++)
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++) trainer.TrainBatch(data, indices);
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - start;
        }
        // Every step was measured: τ norms, τ − 1 gains with two factors, the spectrum, and the cell's own.
        Assert.True(sink.Count - before >= 100 * (12 + 3 * 11 + 4), $"{sink.Count - before} records in 100 due steps");
        Assert.Equal(0, windows.Min());
    }

    private sealed class CountingSink : IMetricSink
    {
        public long Count { get; private set; }

        public void Add(in MetricRecord record) => Count++;

        public void AddRange(ReadOnlySpan<MetricRecord> records) => Count += records.Length;
    }
}
