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
