using System.Diagnostics;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.Tests.Cli;

/// <summary>The memory estimate refuses a run that would not fit before anything large is allocated.</summary>
public sealed class MemoryRefusalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-memory-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Train_TooLargeForTheMachine_RefusedWithPeakMemoryOfAnEmptyProcess()
    {
        // The GC's hard limit makes "this machine" 1 GB, so the refusal fires on any host, and an allocation the
        // refusal failed to prevent would hit the limit instead of the host's memory. [784,30000,30000,10] needs ~26 GB.
        if (!File.Exists("/usr/bin/time")) return;
        string dll = Path.Combine(AppContext.BaseDirectory, "Gradscope.Cli.dll");
        var start = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-f", "peak-kb %M", "dotnet", dll, "train", "--layers", "784,30000,30000,10", "--batch", "1000" }) start.ArgumentList.Add(a);
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x40000000";
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}: {stderr}");
        Assert.Matches(@"needs ~\d+(\.\d+)? GB .*this machine has 1 GB", stderr);
        long peakKb = long.Parse(stderr.Split("peak-kb ")[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // A bare CLI start is ~60 MB; the run would have allocated 3.6 GB for the first weight matrix alone.
        Assert.True(peakKb < 250_000, $"peak {peakKb} kB: something large was allocated before the refusal");
        Assert.False(Directory.Exists(Path.Combine(_dir, "runs")) && Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "runs")).Any());
    }

    [Fact]
    public void Estimate_GrowsWithEachPart_AndSaturatesInsteadOfOverflowing()
    {
        var small = new ExperimentSpec { Network = new NetworkSpec { Layers = [784, 30, 10] } };
        var e = MemoryEstimate.For(small);
        Assert.True(e.Total < 1L << 30, $"a small run estimated at {MemoryEstimate.Gigabytes(e.Total)}");
        Assert.True(MemoryEstimate.For(small with { Training = small.Training with { Optimizer = "adam" } }).OptimizerState == 16L * (785 * 30 + 31 * 10));
        Assert.True(MemoryEstimate.For(small with { Data = new DataSpec { Train = 2_000_000_000 } }).Data > 1L << 40);
        var huge = new ExperimentSpec { Network = new NetworkSpec { Layers = [int.MaxValue, int.MaxValue, int.MaxValue] }, Data = new DataSpec { Train = int.MaxValue } };
        Assert.Equal(long.MaxValue, MemoryEstimate.For(huge).Total);
        var ex = Assert.Throws<InsufficientMemoryException>(() => MemoryEstimate.For(huge).EnsureFits(8L << 30));
        Assert.Contains("this machine has 8 GB", ex.Message);
    }
}
