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

    [Theory]
    [InlineData("rnn", 1, null)]
    [InlineData("lstm", 2, null)]
    [InlineData("gru", 1, "every")]
    public void Estimate_RecurrentNet_CountsEveryTimeStepsBuffersAsTheWorkspaceAllocatesThem(string cell, int stacked, string? outputs)
    {
        // The workspace of one example, measured: every array of the engine's buffers (aliases once, the
        // parameter-sized gradients apart), against the estimate's per-example share.
        const int steps = 20, inputs = 3, hidden = 7, classes = 2;
        var spec = new ExperimentSpec
        {
            Network = Recurrent.RecurrentGradientTests.Spec(cell, "tanh", "quadratic", stacked, inputs, hidden, classes, steps)
                with { Recurrent = new RecurrentSpec { Cell = cell, Steps = steps, Outputs = outputs } },
            Data = new DataSpec { Train = 10, Test = 0 },
            Training = new TrainingOptions { BatchSize = 10 },
            Probes = new Gradscope.Probes.ProbeOptions { ReferenceSize = 10 },
        };
        var workspace = new Workspace<float>(Network<float>.Create(spec.Network, seed: 1), 1);
        var seen = new HashSet<float[]>(ReferenceEqualityComparer.Instance) { workspace.Input, workspace.Target };
        foreach (var buffers in workspace.Layers)
            for (var type = buffers.GetType(); type is not null; type = type.BaseType)
                foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
                    if (property.PropertyType == typeof(float[]) && property.GetValue(buffers) is float[] array) seen.Add(array);
        long measured = seen.Sum(a => (long)a.Length);

        var estimate = MemoryEstimate.For(spec);
        const long rows = 10 + 10 + 10; // batch, evaluation pass (≤ 500 of the training set), reference set
        Assert.Equal(measured, estimate.Workspace / (rows * sizeof(float)));
        // And τ counts: the same net over 40 steps needs about twice the workspace.
        var longer = MemoryEstimate.For(spec with { Network = spec.Network with { Recurrent = spec.Network.Recurrent! with { Steps = 2 * steps } } });
        Assert.InRange(longer.Workspace / (double)estimate.Workspace, 1.9, 2.0);
        Assert.Equal(10L * (2 * steps * inputs + (outputs == "every" ? 2 * steps * classes : classes)) * 4, longer.Data);
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
