using System.Security.Cryptography;
using System.Text.Json;

namespace Gradscope.Tests.Cli;

/// <summary>
/// Sharded sweeps with the built CLI: workers started as a Kubernetes Indexed Job or a Slurm array would start
/// them, into one shared folder, merged into the same sweep.json as one process writes.
/// </summary>
public sealed class SweepShardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-shards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>24 trials: 3 depths × 4 activations × 2 learning rates, small enough for a few seconds each shard.</summary>
    private static readonly string[] Grid =
    [
        "sweep", "--depth", "1,2,3", "--activation", "sigmoid,tanh,relu,elu", "--eta", "0.05,0.1", "--width", "12",
        "--train-size", "300", "--test-size", "50", "--epochs", "3", "--probes", "minimal", "--no-report",
    ];

    private static readonly string[] SmallGrid =
        ["sweep", "--depth", "1,2", "--activation", "sigmoid,relu", "--width", "8", "--train-size", "200", "--test-size", "50", "--probes", "minimal", "--no-report"];

    private static Dictionary<string, string> Kubernetes(int index) => new() { ["JOB_COMPLETION_INDEX"] = $"{index}", ["GRADSCOPE_SHARDS"] = "4" };

    // A 1-based array, as `#SBATCH --array=1-4` gives.
    private static Dictionary<string, string> Slurm(int index) => new()
    {
        ["SLURM_ARRAY_TASK_ID"] = $"{index + 1}", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "4",
    };

    [Fact]
    public void Sweep_FourShardsOneKilledAndRetried_MergedSweepJsonSameAsOneProcess()
    {
        string shared = Path.Combine(_dir, "shared");
        string[] sharded = [.. Grid, "--sweep-dir", shared, "--parallel", "1"];
        var others = new[] { Kubernetes(0), Kubernetes(1), Slurm(2) }.Select(env => CliRunner.Start(_dir, env, sharded)).ToList();

        // Shard 3 is preempted mid-trial, after finishing at least one trial, then started again with the same index.
        var killed = KillMidTrial(shared, () => CliRunner.Start(_dir, Slurm(3), sharded));
        Assert.True(killed is not null, "shard 3 finished before it could be killed mid-trial");
        var retry = CliRunner.Run(_dir, Slurm(3), sharded);
        Assert.True(retry.ExitCode == 0, retry.Stderr + retry.Stdout);
        Assert.Contains("shard 3/4 (from SLURM_ARRAY_TASK_ID=4 − SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=4)", retry.Stdout);
        Assert.Contains($"redoing trial {killed}", retry.Stdout);
        Assert.DoesNotContain("0 already finished", retry.Stdout);
        string[] sources = ["(from JOB_COMPLETION_INDEX=0, GRADSCOPE_SHARDS=4)", "(from JOB_COMPLETION_INDEX=1, GRADSCOPE_SHARDS=4)",
            "(from SLURM_ARRAY_TASK_ID=3 − SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=4)"];
        foreach (var (worker, source) in others.Zip(sources))
        {
            var r = worker.Wait();
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            Assert.Contains(source, r.Stdout);
            worker.Dispose();
        }

        var merge = CliRunner.Run(_dir, "sweep", "merge", shared, "--no-report");
        Assert.True(merge.ExitCode == 0, merge.Stderr + merge.Stdout);
        Assert.Contains("merged all 24 trials", merge.Stdout);
        Assert.Empty(Directory.GetDirectories(Path.Combine(shared, ".partial")));

        string single = Path.Combine(_dir, "single");
        var one = CliRunner.Run(_dir, [.. Grid, "--sweep-dir", single, "--parallel", "2"]);
        Assert.True(one.ExitCode == 0, one.Stderr + one.Stdout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(single, "sweep.json")), File.ReadAllBytes(Path.Combine(shared, "sweep.json")));
        // Not just the index: every trial's measurements are the same bytes too.
        var runs = SweepFile.Read(single).Runs;
        Assert.Equal(24, runs.Count);
        foreach (var entry in runs)
            Assert.Equal(File.ReadAllBytes(Path.Combine(single, entry.Dir, "metrics.jsonl")), File.ReadAllBytes(Path.Combine(shared, entry.Dir, "metrics.jsonl")));
    }

    [Fact]
    public void Sweep_WorkersPrintWhereTheShardCameFrom()
    {
        string shared = Path.Combine(_dir, "s");
        var r = CliRunner.Run(_dir, Kubernetes(1), [.. SmallGrid, "--sweep-dir", shared]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("shard 1/4 (from JOB_COMPLETION_INDEX=1, GRADSCOPE_SHARDS=4): 1 of 4 trials (indices 1)", r.Stdout);
        var flag = CliRunner.Run(_dir, [.. SmallGrid, "--sweep-dir", shared, "--shard", "1/4"]);
        Assert.Contains("shard 1/4 (from --shard): 1 of 4 trials", flag.Stdout);
        Assert.Contains("1 already finished, 0 to run", flag.Stdout);
    }

    [Fact]
    public void SweepMerge_SomeShardsMissing_SaysHowManyAndWhich_ReportMergesToo()
    {
        string shared = Path.Combine(_dir, "s");
        var r = CliRunner.Run(_dir, [.. SmallGrid, "--sweep-dir", shared, "--shard", "0/2"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        var merge = CliRunner.Run(_dir, "sweep", "merge", shared);
        Assert.Equal(0, merge.ExitCode);
        Assert.Contains("merged 2 of 4 trials", merge.Stdout);
        Assert.Contains("2 missing", merge.Stdout);
        Assert.Contains("trial 1: depth=1,activation=relu", merge.Stdout);
        Assert.Contains("trial 3: depth=2,activation=relu", merge.Stdout);
        var file = SweepFile.Read(shared);
        Assert.Equal(["depth=1,activation=relu", "depth=2,activation=relu"], file.Missing!);
        Assert.Equal(4, file.Trials);
        Assert.True(File.Exists(Path.Combine(shared, "report.html")));

        Assert.Equal(0, CliRunner.Run(_dir, [.. SmallGrid, "--sweep-dir", shared, "--shard", "1/2"]).ExitCode);
        var report = CliRunner.Run(_dir, "report", shared);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("merged all 4 trials", report.Stdout);
        Assert.Equal(4, SweepFile.Read(shared).Runs.Count);
    }

    [Fact]
    public void Sweep_BadShardInput_OneLineExit2NothingOverwritten()
    {
        string shared = Path.Combine(_dir, "s");
        Assert.Equal(0, CliRunner.Run(_dir, [.. SmallGrid, "--sweep-dir", shared, "--shard", "0/2"]).ExitCode);
        var before = Snapshot(shared);
        var none = new Dictionary<string, string>();
        (Dictionary<string, string> Env, string[] Args, string Expected)[] cases =
        [
            (none, [.. SmallGrid, "--sweep-dir", shared, "--shard", "5/4"], "--shard 5/4: the index must be below the shard count"),
            (none, [.. SmallGrid, "--sweep-dir", shared, "--shard", "0/0"], "--shard 0/0: the shard count N must be at least 1"),
            (new() { ["JOB_COMPLETION_INDEX"] = "one", ["GRADSCOPE_SHARDS"] = "2" }, [.. SmallGrid, "--sweep-dir", shared], "JOB_COMPLETION_INDEX='one' is not a whole number"),
            (new() { ["SLURM_ARRAY_TASK_ID"] = "3a", ["SLURM_ARRAY_TASK_MIN"] = "0", ["SLURM_ARRAY_TASK_COUNT"] = "2" }, [.. SmallGrid, "--sweep-dir", shared], "SLURM_ARRAY_TASK_ID='3a' is not a whole number"),
            (none, [.. SmallGrid, "--sweep-dir", shared, "--seed", "2", "--shard", "1/2"], "holds a different sweep"),
            (none, ["sweep", "--depth", "1,3", "--width", "8", "--train-size", "200", "--test-size", "50", "--sweep-dir", shared], "holds a different sweep"),
            (none, [.. SmallGrid, "--shard", "1/2"], "needs --sweep-dir"),
        ];
        foreach (var (env, args, expected) in cases)
        {
            var r = CliRunner.Run(_dir, env, args);
            Assert.True(r.ExitCode == 2, $"{expected}: exit {r.ExitCode}\n{r.Stderr}{r.Stdout}");
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.Contains(expected, lines[0]);
            Assert.Equal(before, Snapshot(shared));
        }
        Assert.False(Directory.Exists(Path.Combine(_dir, "runs")));
    }

    /// <summary>
    /// Starts a worker and kills it once it has finished a trial and is inside the next one; returns the index of
    /// the trial it left running, or null if it finished first. A kill that lands between two trials leaves
    /// nothing running, so the worker is started again until one lands mid-trial.
    /// </summary>
    private static int? KillMidTrial(string shared, Func<CliRunner.Running> start)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            using var worker = start();
            while (!worker.Process.HasExited)
            {
                if (Finished(shared, 3) > 0 && OwnRunning(shared, 3) is not null)
                {
                    worker.Kill();
                    if (OwnRunning(shared, 3) is { } index) return index;
                    break;
                }
                Thread.Sleep(5);
            }
            if (worker.Process.HasExited && worker.Process.ExitCode == 0) return null;
        }
        return null;
    }

    private static List<string> Running(string shared) =>
        Directory.Exists(Path.Combine(shared, ".partial")) ? [.. Directory.GetDirectories(Path.Combine(shared, ".partial"))] : [];

    /// <summary>How many of a shard's trials (of 4 shards) have a finished run directory.</summary>
    private static int Finished(string shared, int shard) =>
        File.Exists(Path.Combine(shared, "sweep-plan.json"))
            ? SweepPlan.Read(shared).Trials.Count(t => t.Index % 4 == shard && File.Exists(Path.Combine(shared, t.Dir, "run.json")))
            : 0;

    /// <summary>The index of a shard's trial (of 4 shards) that a partial run directory with status running holds, if any.</summary>
    private static int? OwnRunning(string shared, int shard)
    {
        string planPath = Path.Combine(shared, "sweep-plan.json");
        if (!File.Exists(planPath)) return null;
        var plan = SweepPlan.Read(shared);
        foreach (string dir in Running(shared))
        {
            var trial = plan.Trials.FirstOrDefault(t => Path.GetFileName(dir).StartsWith(t.Id + ".", StringComparison.Ordinal));
            if (trial is null || trial.Index % 4 != shard) continue;
            string info = Path.Combine(dir, "run.json");
            try
            {
                if (!File.Exists(info)) continue;
                using var doc = JsonDocument.Parse(File.ReadAllText(info));
                if (doc.RootElement.GetProperty("status").GetString() == "running") return trial.Index;
            }
            catch (IOException) { }
            catch (JsonException) { }
        }
        return null;
    }

    /// <summary>Every file under a folder with a hash of its bytes.</summary>
    private static string Snapshot(string root) =>
        string.Join("\n", Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(root, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));
}
