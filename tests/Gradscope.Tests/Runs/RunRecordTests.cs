using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Runs;

public sealed class RunRecordTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"gradscope-runs-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static ExperimentSpec Spec(string preset = "standard") => new()
    {
        Name = "test",
        Network = new NetworkSpec { Layers = [10, 8, 6, 2], Activation = "sigmoid" },
        Training = new TrainingOptions { Eta = 0.5, BatchSize = 10, Epochs = 2 },
        Probes = ProbeOptions.FromPreset(preset) with { ReferenceSize = 50 },
        Data = new DataSpec { Source = "separable", Train = 200, Test = 50 },
    };

    /// <summary>A run's description with nothing in it, for tests of the writer alone.</summary>
    private static RunInfo BareInfo() => new()
    {
        Layers = RunInfos.Describe(new NetworkSpec()),
        Data = new DataInfo("x", 1, 0, 1),
    };

    [Fact]
    public void Run_Complete_WritesReadableRecordWithEveryEpochAndLayer()
    {
        var train = TestNets.Separable<float>(200, 10, 1);
        var test = TestNets.Separable<float>(50, 10, 2);
        string dir = Path.Combine(_root, "a");
        var outcome = ExperimentRunner.Run(Spec("full"), train, test, dir);
        Assert.Equal(RunStatus.Complete, outcome.Status);

        var run = RunRecord.Load(dir);
        Assert.True(run.IsComplete);
        Assert.NotNull(run.Info.End);
        Assert.Equal([10, 8, 6, 2], run.Info.Sizes());
        Assert.Equal(3, run.Epochs.Count); // at init and after each epoch
        Assert.Equal(40, run.Series(Quantity.BiasGradNorm, 1).Count); // 2 epochs × 20 steps
        Assert.Equal(40, run.Series(Quantity.Gain, 2).Count);
        Assert.Contains(run.Metrics, m => m.Quantity == Quantity.JacobianSingularValues);
        Assert.Contains(run.Metrics, m => m.Quantity == Quantity.WeightGradHistogram && m.Values!.Length == Histogram.Count);
        var view = new RunView(run);
        Assert.Equal(Quantity.ReferenceBiasGradNorm, view.SpeedQuantity);
        Assert.All(Enumerable.Range(1, run.Info.Depth), l => Assert.True(view.AtInit(Quantity.ReferenceBiasGradNorm, l) > 0));
    }

    [Fact]
    public void Run_InMemoryAndOnDisk_GiveTheSameRecords()
    {
        var train = TestNets.Separable<float>(200, 10, 1);
        var outcome = ExperimentRunner.Run(Spec(), train, null, Path.Combine(_root, "b"));
        var memory = ExperimentRunner.Run(Spec(), train, null, null).Memory!;
        var disk = RunRecord.Load(outcome.Directory!).Metrics;
        Assert.Equal(memory.Records.Count, disk.Count);
        for (int i = 0; i < disk.Count; i++)
        {
            Assert.Equal((memory.Records[i].Step, memory.Records[i].Layer, memory.Records[i].Quantity), (disk[i].Step, disk[i].Layer, disk[i].Quantity));
            Assert.Equal(memory.Records[i].Value, disk[i].Value); // round-trip exact
        }
    }

    [Fact]
    public void ExportCsv_LongFormat_OneRowPerScalarAndVectorElement()
    {
        var train = TestNets.Separable<float>(200, 10, 1);
        string dir = Path.Combine(_root, "c");
        ExperimentRunner.Run(Spec("minimal"), train, null, dir);
        var run = RunRecord.Load(dir);
        string csv = Path.Combine(_root, "c.csv");
        run.ExportCsv(csv);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("step,epoch,layer,quantity,index,bin,value", lines[0]);
        int expected = run.Metrics.Sum(m => m.Values?.Length ?? 1);
        Assert.Equal(expected + 1, lines.Length);
    }

    [Fact]
    public void Writer_DisposedWithoutComplete_IsNeverMarkedComplete()
    {
        string dir = Path.Combine(_root, "d");
        var info = BareInfo();
        using (var writer = RunWriter.Create(dir, info))
        {
            writer.Add(new MetricRecord(0, 0, 1, Quantity.DeltaNorm, 1.5));
            Assert.Equal(RunStatus.Running, RunRecord.Load(dir).Info.Status);
        }
        var run = RunRecord.Load(dir);
        Assert.Equal(RunStatus.Interrupted, run.Info.Status);
        Assert.Single(run.Metrics);
    }

    [Fact]
    public void Writer_FewRecords_ReachTheFileWhileTheRunGoesOn()
    {
        // Far fewer records than a chunk: the writer thread takes them itself after RunWriter.Latency.
        string dir = Path.Combine(_root, "f");
        using var writer = RunWriter.Create(dir, BareInfo());
        writer.Add(new MetricRecord(3, 0, 1, Quantity.DeltaNorm, 0.25));
        string path = Path.Combine(dir, RunFiles.Metrics);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string text = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !text.EndsWith('\n'))
        {
            Thread.Sleep(20);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            text = new StreamReader(stream).ReadToEnd();
        }
        Assert.Equal("{\"step\":3,\"epoch\":0,\"layer\":1,\"quantity\":\"delta_norm\",\"value\":0.25}\n", text);
        Assert.Equal(RunStatus.Running, RunRecord.Load(dir).Info.Status);
    }

    [Fact]
    public void Writer_FarBehind_ProducerWaitsAndEveryRecordLandsInOrder()
    {
        string dir = Path.Combine(_root, "e");
        var info = BareInfo();
        using (var writer = RunWriter.Create(dir, info))
        {
            writer.MaxPending = 50;
            var batch = new MetricRecord[7];
            for (int step = 0; step < 3000; step++)
            {
                for (int i = 0; i < batch.Length; i++) batch[i] = new MetricRecord(step, 0, i + 1, Quantity.DeltaNorm, step + i / 10.0);
                writer.AddRange(batch);
            }
            writer.Complete(RunStatus.Complete);
        }
        var run = RunRecord.Load(dir);
        Assert.True(run.IsComplete);
        Assert.Equal(3000 * 7, run.Metrics.Count);
        for (int k = 0; k < run.Metrics.Count; k++)
        {
            Assert.Equal(k / 7, run.Metrics[k].Step);
            Assert.Equal(k / 7 + (k % 7) / 10.0, run.Metrics[k].Value);
        }
    }

    [Fact]
    public void Create_ExistingRun_Refused()
    {
        var train = TestNets.Separable<float>(200, 10, 1);
        string dir = Path.Combine(_root, "e");
        ExperimentRunner.Run(Spec("minimal"), train, null, dir);
        var e = Assert.Throws<IOException>(() => ExperimentRunner.Run(Spec("minimal"), train, null, dir));
        Assert.Contains("already holds a run", e.Message);
        Assert.True(RunRecord.Load(dir).IsComplete);
    }

    [Fact]
    public void Run_ExplodingNet_StopsAndRecordsFailure()
    {
        var train = TestNets.Separable<float>(200, 10, 1);
        var spec = Spec("minimal") with
        {
            Network = new NetworkSpec { Layers = [10, 8, 8, 2], Activation = "relu", Init = "standard-normal:100000", Cost = "quadratic", OutputActivation = "identity" },
            Training = new TrainingOptions { Eta = 10, BatchSize = 10, Epochs = 3 },
        };
        string dir = Path.Combine(_root, "f");
        var outcome = ExperimentRunner.Run(spec, train, null, dir);
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.NotNull(outcome.NonFinite);
        var run = RunRecord.Load(dir);
        Assert.Equal(RunStatus.Failed, run.Info.Status);
        Assert.Contains("non-finite", run.Info.Failure);
    }
}
