using Gradscope.Probes;

namespace Gradscope.Tests.Probes;

public sealed class ProbeOptionsTests
{
    [Fact]
    public void ThinnedFor_LongRun_LogPlusEveryNSoAbout2000Measurements()
    {
        var thinned = ProbeOptions.FromPreset("standard").ThinnedFor(150_000);
        Assert.Equal("log+every:75", thinned.Norms);
        Assert.Equal("log+every:75", thinned.Statistics);
        Assert.Equal("log+every:750", thinned.UpdateRatio);
        Assert.Equal(ProbeOptions.FromPreset("standard").Reference, thinned.Reference);
        var norms = Schedule.Parse(thinned.Norms);
        Assert.InRange(Enumerable.Range(0, 150_000).Count(s => norms.IsDue(s)), 2000, 2020);
    }

    [Fact]
    public void ThinnedFor_ShortRun_Unchanged()
    {
        var standard = ProbeOptions.FromPreset("standard");
        Assert.Equal(standard, standard.ThinnedFor(1500));
    }

    [Theory]
    [InlineData(10, "log+every:5000")]
    [InlineData(100, "log+every:1000")]
    public void WithReferenceBudget_SmallBatches_ReferencePassesAtMostTwoPercentOfTraining(int batch, string expected)
    {
        var standard = ProbeOptions.FromPreset("standard");
        var budgeted = standard.WithReferenceBudget(batch);
        Assert.Equal(expected, budgeted.Reference);
        var schedule = Schedule.Parse(budgeted.Reference);
        long steps = 150_000, passes = Enumerable.Range(0, (int)steps).Count(s => schedule.IsDue(s));
        // Past the log part, the reference examples are within 2% of the training examples.
        Assert.True((passes - 18) * standard.ReferenceSize <= 0.02 * steps * batch);
        Assert.Equal(standard with { Reference = budgeted.Reference }, budgeted);
    }

    [Fact]
    public void ThinnedFor_SparseScheduleAlready_Kept()
    {
        var sparse = ProbeOptions.FromPreset("full") with { Spectral = "every:100", Norms = "every:500" };
        Assert.Equal("every:500", sparse.ThinnedFor(150_000).Norms);
    }
}

public sealed class ProbeNeutralityTests
{
    [Theory]
    [InlineData("standard", 0.0)]
    [InlineData("full", 5.0)]
    public void Probes_Attached_NeverChangeTheTrajectory(string preset, double lambda)
    {
        var data = Gradscope.Tests.Support.TestNets.Separable<float>(300, 40, seed: 2);
        var spec = new Gradscope.Model.NetworkSpec { Layers = [40, 70, 30, 2], Activation = "tanh" };
        string Train(bool probes)
        {
            var network = Gradscope.Model.Network<float>.Create(spec, 3);
            using var trainer = new Gradscope.Training.Trainer<float>(network, new Gradscope.Training.TrainingOptions { Eta = 0.3, BatchSize = 10, Lambda = lambda });
            using var handle = probes ? trainer.Attach(new ProbeSet<float>(network, ProbeOptions.FromPreset(preset) with { ReferenceSize = 50 }, new MemorySink(), data)) : null;
            trainer.TrainEpoch(data);
            trainer.TrainEpoch(data);
            return Gradscope.Tests.Support.TestNets.Hash(network);
        }
        Assert.Equal(Train(false), Train(true));
    }
}

public sealed class FusedNormsTests
{
    /// <summary>Plain SGD under another name: the trainer cannot fuse, so the probes measure the norms themselves.</summary>
    private sealed class OpaqueSgd : Gradscope.Training.IOptimizer<double>
    {
        private readonly Gradscope.Training.Sgd<double> _inner = new();
        public string Name => "opaque-sgd";
        public void Update(Gradscope.Model.Parameter<double> parameter, ReadOnlySpan<double> gradient, in Gradscope.Training.UpdateContext context) =>
            _inner.Update(parameter, gradient, context);
    }

    [Fact]
    public void Norms_FusedIntoSgd_SameRecordsAsMeasuredByTheProbes()
    {
        var data = Gradscope.Tests.Support.TestNets.RandomData(60, 12, 3, oneHot: true, seed: 4);
        var spec = new Gradscope.Model.NetworkSpec { Layers = [12, 9, 7, 3], Activation = "tanh", Cost = "log-likelihood" };
        var options = new ProbeOptions { Norms = "every:1", Statistics = "every:3", UpdateRatio = "log+every:7" };
        List<MetricRecord> Run(Gradscope.Training.IOptimizer<double>? optimizer)
        {
            var network = Gradscope.Model.Network<double>.Create(spec, 2);
            var sink = new MemorySink();
            using var trainer = new Gradscope.Training.Trainer<double>(network, new Gradscope.Training.TrainingOptions { Eta = 0.2, BatchSize = 6, Lambda = 2 }, optimizer);
            using (trainer.Attach(new ProbeSet<double>(network, options, sink, data))) trainer.TrainEpoch(data);
            return sink.Records.Where(r => r.Quantity is Quantity.WeightGradNorm or Quantity.WeightNorm or Quantity.UpdateRatio)
                .OrderBy(r => (r.Step, r.Layer, r.Quantity)).ToList();
        }
        var fused = Run(null);
        var plain = Run(new OpaqueSgd());
        Assert.Equal(plain.Count, fused.Count);
        Assert.Equal(plain.Select(r => (r.Step, r.Layer, r.Quantity)), fused.Select(r => (r.Step, r.Layer, r.Quantity)));
        for (int i = 0; i < plain.Count; i++) Assert.Equal(plain[i].Value, fused[i].Value, 1e-12);
        Assert.Equal(10 * 3, fused.Count(r => r.Quantity == Quantity.WeightGradNorm));
    }
}

public sealed class ProbeOptionsJsonTests
{
    private static ProbeOptions Read(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<ProbeOptions>(json, Gradscope.IO.SpecJson.Options)!;

    [Fact]
    public void Read_PresetWithOneGroup_KeepsThePresetsOtherSchedules()
    {
        var read = Read("""{ "preset": "minimal", "norms": "every:10" }""");
        Assert.Equal(ProbeOptions.FromPreset("minimal") with { Norms = "every:10" }, read);
    }

    [Fact]
    public void Read_NoPreset_StartsFromTheDefaults()
    {
        Assert.Equal(new ProbeOptions { Statistics = "every:5" }, Read("""{ "statistics": "every:5" }"""));
    }

    [Fact]
    public void WriteThenRead_AnyOptions_RoundTrip()
    {
        var full = ProbeOptions.FromPreset("full") with { Spectral = "every:7", ReferenceSize = 300 };
        Assert.Equal(full, Read(System.Text.Json.JsonSerializer.Serialize(full, Gradscope.IO.SpecJson.Options)));
    }

    [Fact]
    public void Read_UnknownPreset_Refused() =>
        Assert.Throws<ArgumentException>(() => Read("""{ "preset": "lots" }"""));
}
