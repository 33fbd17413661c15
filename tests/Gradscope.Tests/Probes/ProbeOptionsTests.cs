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
