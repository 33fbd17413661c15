using System.Security.Cryptography;
using Gradscope.Data;
using Gradscope.Experiments;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Data;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Models;

/// <summary>
/// A run stopped part-way and resumed from its newest checkpoint writes the same metrics.jsonl and model.gsm, byte
/// for byte, as the same run left alone.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ExperimentSpec Spec(string optimizer, string precision) => new()
    {
        Name = "resume",
        Network = new NetworkSpec { Layers = [10, 8, 6, 2], Activation = "tanh" },
        Training = new TrainingOptions
        {
            Eta = optimizer == "sgd" ? 0.5 : 0.02, BatchSize = 10, Epochs = 3, Optimizer = optimizer, Lambda = 1,
            KfacInverseEvery = 5, KfacStatsEvery = 2, Threads = 2,
        },
        Probes = ProbeOptions.FromPreset("full") with { ReferenceSize = 40 },
        Precision = precision,
        Seed = 11,
        Data = new DataSpec { Source = "separable", Train = 200, Test = 50 },
    };

    private static DataSplit Data => new(TestNets.Separable<float>(200, 10, 1), TestNets.Separable<float>(50, 10, 2));

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Theory]
    [InlineData("sgd", "float32")]
    [InlineData("sgd", "float64")]
    [InlineData("adam", "float32")]
    [InlineData("adam", "float64")]
    [InlineData("kfac", "float32")]
    [InlineData("kfac", "float64")]
    public void Resume_AfterInterruption_ByteIdenticalToUninterrupted(string optimizer, string precision)
    {
        var spec = Spec(optimizer, precision);
        var control = new RunControl { Checkpoints = CheckpointSchedule.Parse("7"), CheckpointsKept = 2 };
        string whole = _dir.File("whole"), broken = _dir.File("broken");
        Assert.Equal(RunStatus.Complete, ExperimentRunner.Run(spec, Data, whole, control).Status);

        // Stopped once epoch 1 is reported: the runner takes one more step, then says interrupted.
        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Epoch == 1) stop.Cancel(); });
        var first = ExperimentRunner.Run(spec, Data, broken, control, progress: progress, cancellation: stop.Token);
        Assert.Equal(RunStatus.Interrupted, first.Status);
        var checkpoints = Checkpoint.List(broken);
        // Epoch 1 ends at step 20; the step after it (21) is a multiple of 7: checkpoints 7, 14, 21, the newest two kept.
        Assert.Equal(2, checkpoints.Count);
        Assert.Equal(21, Checkpoint.ReadHeader(checkpoints[^1]).Step);
        // Records of the step taken after the newest checkpoint are dropped and written again by the resumed run.
        Assert.Equal(14, Checkpoint.ReadHeader(checkpoints[0]).Step);

        var resumed = ExperimentRunner.Resume(spec, Data, broken, checkpoints[^1]);
        Assert.Equal(RunStatus.Complete, resumed.Status);
        Assert.Equal(Hash(Path.Combine(whole, RunFiles.Metrics)), Hash(Path.Combine(broken, RunFiles.Metrics)));
        Assert.Equal(Hash(Path.Combine(whole, ExperimentRunner.ModelFileName)), Hash(Path.Combine(broken, ExperimentRunner.ModelFileName)));
        var info = RunRecord.Load(broken).Info;
        Assert.Equal(RunStatus.Complete, info.Status);
        var resumption = Assert.Single(info.Resumptions!);
        Assert.Equal(21, resumption.Step);
        Assert.Equal(RunStatus.Interrupted, resumption.PreviousStatus);
        Assert.Equal([0, 1, 2, 3], RunRecord.Load(broken).Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void Resume_EpochCheckpoints_ContinueAtNextEpoch()
    {
        var spec = Spec("momentum", "float32");
        var control = new RunControl { Checkpoints = CheckpointSchedule.Parse("epoch") };
        string whole = _dir.File("w"), broken = _dir.File("b");
        ExperimentRunner.Run(spec, Data, whole, control);
        using var stop = new CancellationTokenSource();
        ExperimentRunner.Run(spec, Data, broken, control, progress: new SyncProgress(p => { if (p.Epoch == 2) stop.Cancel(); }), cancellation: stop.Token);
        string newest = Checkpoint.List(broken)[^1];
        Assert.Equal(2, Checkpoint.ReadHeader(newest).Epoch);
        ExperimentRunner.Resume(spec, Data, broken, newest);
        Assert.Equal(Hash(Path.Combine(whole, RunFiles.Metrics)), Hash(Path.Combine(broken, RunFiles.Metrics)));
        Assert.Equal(Hash(Path.Combine(whole, ExperimentRunner.ModelFileName)), Hash(Path.Combine(broken, ExperimentRunner.ModelFileName)));
    }

    /// <summary>The process killed outright (SIGKILL) once a checkpoint exists, then <c>train --resume</c>.</summary>
    [Fact]
    public void Cli_KilledThenResumed_SameMetricsAndModelAsUninterrupted()
    {
        string[] args = ["train", "--data", "digits", "--train-size", "600", "--test-size", "100", "--layers", "784,30,30,10",
            "--epochs", "3", "--batch", "10", "--optimizer", "adam", "--eta", "0.002", "--seed", "5", "--checkpoint-every", "10",
            "--probes", "standard", "--no-report"];
        var whole = CliRunner.Run(_dir.Path, [.. args, "--name", "whole", "--out", "a"]);
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        string wholeDir = Directory.GetDirectories(_dir.File("a")).Single();

        using var running = CliRunner.Start(_dir.Path, new Dictionary<string, string>(), [.. args, "--name", "killed", "--out", "b"]);
        string? killedDir = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2) && !running.Process.HasExited)
        {
            killedDir = Directory.Exists(_dir.File("b")) ? Directory.GetDirectories(_dir.File("b")).SingleOrDefault() : null;
            if (killedDir is not null && Checkpoint.List(killedDir).Count > 0) break;
            Thread.Sleep(5);
        }
        running.Kill();
        Assert.NotNull(killedDir);
        Assert.NotEqual(RunStatus.Complete, RunRecord.Load(killedDir).Info.Status);

        var resumed = CliRunner.Run(_dir.Path, "train", "--resume", killedDir, "--no-report");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        Assert.Equal(Hash(Path.Combine(wholeDir, RunFiles.Metrics)), Hash(Path.Combine(killedDir, RunFiles.Metrics)));
        Assert.Equal(Hash(Path.Combine(wholeDir, ExperimentRunner.ModelFileName)), Hash(Path.Combine(killedDir, ExperimentRunner.ModelFileName)));
        Assert.Equal(RunStatus.Complete, RunRecord.Load(killedDir).Info.Status);
        Assert.Single(RunRecord.Load(killedDir).Info.Resumptions!);

        var again = CliRunner.Run(_dir.Path, "train", "--resume", killedDir);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("is complete", again.Stderr);
    }

    /// <summary>
    /// <c>train --resume</c> with other flags: one that repeats the run is accepted (--threads may differ: results do not
    /// depend on it), one that would change it is refused in one line naming the difference, before anything is touched.
    /// </summary>
    [Fact]
    public void Cli_ResumeWithFlags_AgreeingAcceptedContradictingRefused()
    {
        var spec = Spec("adam", "float32") with
        {
            Network = new NetworkSpec { Layers = [784, 8, 10], Activation = "tanh" },
            Data = new DataSpec { Source = "digits", Train = 200, Test = 50 },
            Probes = ProbeOptions.FromPreset("standard") with { ReferenceSize = 40 },
        };
        var data = DataSources.Load("digits", 200, 50, Gradscope.Cli.DataLoading.DigitsSeed);
        var control = new RunControl { Checkpoints = CheckpointSchedule.Parse("epoch") };
        string whole = _dir.File("whole"), broken = _dir.File("broken");
        ExperimentRunner.Run(spec, data, whole, control);
        using var stop = new CancellationTokenSource();
        ExperimentRunner.Run(spec, data, broken, control, progress: new SyncProgress(p => { if (p.Epoch == 1) stop.Cancel(); }), cancellation: stop.Token);
        long length = new FileInfo(Path.Combine(broken, RunFiles.Metrics)).Length;

        void Refused(string expected, params string[] flags)
        {
            var r = CliRunner.Run(_dir.Path, ["train", "--resume", broken, "--no-report", .. flags]);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', flags)}: exit {r.ExitCode}: {r.Stderr}{r.Stdout}");
            string line = r.Stderr.Trim();
            Assert.DoesNotContain('\n', line);
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
            Assert.Equal(length, new FileInfo(Path.Combine(broken, RunFiles.Metrics)).Length);
            Assert.Equal(RunStatus.Interrupted, RunRecord.Load(broken).Info.Status);
        }
        Refused("training.eta is 0.02 in the run, 0.5 given", "--eta", "0.5");
        Refused("training.epochs is 3 in the run, 5 given", "--epochs", "5");
        Refused("network.layers", "--layers", "784,9,10");
        Refused("seed is 11 in the run, 12 given", "--seed", "12", "--eta", "0.02");
        Refused("precision", "--precision", "float64");
        Refused("drop --init-from", "--init-from", "model.gsm");
        Refused("drop --out", "--out", "elsewhere");
        Refused("--tensorboard", "--tensorboard", "tb");
        Refused("drop --spec", "--spec", "exp.json");
        Refused("drop --no-save", "--no-save");
        Refused("writes checkpoints every epoch", "--checkpoint-every", "7");

        // The same flags as the run (and another thread count) are accepted, and the run ends as if left alone.
        var resumed = CliRunner.Run(_dir.Path, "train", "--resume", broken, "--no-report", "--eta", "0.02", "--epochs", "3", "--layers", "784,8,10",
            "--activation", "tanh", "--optimizer", "adam", "--seed", "11", "--batch", "10", "--threads", "1", "--checkpoint-every", "epoch", "--data", "digits");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        Assert.Equal(Hash(Path.Combine(whole, RunFiles.Metrics)), Hash(Path.Combine(broken, RunFiles.Metrics)));
        Assert.Equal(Hash(Path.Combine(whole, ExperimentRunner.ModelFileName)), Hash(Path.Combine(broken, ExperimentRunner.ModelFileName)));
    }

    /// <summary>Progress reported on the calling thread (Progress&lt;T&gt; would post to the thread pool, too late to stop at a given step).</summary>
    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
