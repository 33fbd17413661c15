using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Gradscope.Tests.Cli;

/// <summary>
/// The built CLI against hostile input: wrong types and nulls in files, sizes past memory, divergence whatever the
/// probes, special files, and damaged metrics. Each ends in a documented exit code and at most one error line.
/// </summary>
public sealed class HardeningCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-harden-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CliRunner.Result Run(params string[] args) => CliRunner.Run(_dir, args);

    private static readonly string[] Small = ["--layers", "784,12,10", "--train-size", "300", "--test-size", "50", "--epochs", "1", "--no-report"];

    private static void AssertOneLine(CliRunner.Result r, int code, string expected)
    {
        Assert.True(code == r.ExitCode, $"exit {r.ExitCode}, expected {code}: {r.Stderr}");
        var errors = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("gradscope: error", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.Contains(expected, errors[0]);
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);
    }

    [Theory]
    [InlineData("{\"network\":null}", "field network must be an object")]
    [InlineData("{\"probes\":{\"preset\":5}}", "probes.preset must be a string")]
    [InlineData("{\"training\":{\"batchSize\":1e10}}", "training.batchSize")]
    public void Train_SpecWithNullOrWrongType_NamesTheField(string json, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "s.json"), json);
        AssertOneLine(Run("train", "--spec", "s.json"), 2, expected);
    }

    [Theory]
    [InlineData(new[] { "--depth", "2147483647" }, "hidden layers")]
    [InlineData(new[] { "--layers", "784,65536,65536,10" }, "one weight matrix holds at most")]
    [InlineData(new[] { "--layers", "784,100000000,10" }, "one weight matrix holds at most")]
    [InlineData(new[] { "--train-size", "2000000000" }, "this machine has")]
    [InlineData(new[] { "--depth", "20", "--width", "46000" }, "this machine has")]
    public void Train_SizesPastMemory_RefusedBeforeAllocating(string[] args, string expected) =>
        AssertOneLine(Run(["train", .. args]), 2, expected);

    [Fact]
    public void DiagnoseAtInit_SizesPastMemory_RefusedBeforeAllocating() =>
        AssertOneLine(Run(["diagnose", "--at-init", "--depth", "20", "--width", "46000"]), 2, "this machine has");

    [Theory]
    [InlineData("--probes none --eta 1e308")]
    [InlineData("--optimizer adam --eta 1e30")]
    [InlineData("--init he-normal:1e30")]
    public void Train_Diverges_FailedWithExit1WhateverTheProbes(string flags)
    {
        var r = Run(["train", .. Small, .. flags.Split(' ')]);
        AssertOneLine(r, 1, "non-finite value at step");
        var run = RunRecord.Load(Directory.GetDirectories(Path.Combine(_dir, "runs")).Single());
        Assert.Equal(RunStatus.Failed, run.Info.Status);
        Assert.Contains("step", run.Info.Failure);
    }

    [Fact]
    public void Readers_MalformedMetricsLineSymlinkToDevAndFifo_SkipCountOrRefuse()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(0, Run(["train", .. Small, "--name", "evil\u001b]0;title\u0007name"]).ExitCode);
        string run = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        string metrics = Path.Combine(run, RunFiles.Metrics);
        var lines = File.ReadAllLines(metrics).ToList();
        lines[3] = "{\"step\":\"three\",\"epoch\":0,\"layer\":1,\"quantity\":\"delta_norm\",\"value\":1}";
        lines[5] = "{\"step\":1,\"epoch\":0,\"layer\":1,\"quantity\":\"weight_grad_histogram\",\"value\":0,\"values\":[1,2,3]}";
        File.WriteAllLines(metrics, lines);
        foreach (string[] command in new[] { ["inspect", run], ["report", run], ["diagnose", run], new[] { "export", run, "--csv", Path.Combine(_dir, "m.csv") } })
        {
            var r = Run(command);
            Assert.True(r.ExitCode == 0, $"{command[0]}: exit {r.ExitCode}: {r.Stderr}");
            Assert.Contains("skipped 2 malformed lines of metrics.jsonl", r.Stderr);
            Assert.DoesNotContain('\u001b', r.Stdout + r.Stderr);
        }
        Assert.Contains("\\x1b]0;title\\x07name", Run("inspect", run).Stdout);

        // Export to stdout writes the CSV there and says what it did on stderr.
        var csv = Run("export", run, "--csv", "-");
        Assert.Equal(0, csv.ExitCode);
        Assert.StartsWith("step,epoch,layer,quantity,index,bin,value", csv.Stdout);
        Assert.Contains("records to stdout", csv.Stderr);

        // Outputs that are not regular files are refused, not replaced.
        AssertOneLine(Run("export", run, "--csv", "/dev/null"), 2, "not a regular file");
        Assert.True(File.Exists("/dev/null") && new FileInfo("/dev/null").Length == 0);

        // run.json as a link to /dev/zero, and as a FIFO: refused at once, not read forever.
        string info = Path.Combine(run, RunFiles.Info);
        File.Delete(info);
        File.CreateSymbolicLink(info, "/dev/zero");
        AssertOneLine(Run("inspect", run), 2, "not a regular file");
        File.Delete(info);
        using (var mk = Process.Start("mkfifo", info)) mk.WaitForExit();
        AssertOneLine(Run("inspect", run), 2, "not a regular file");
    }

    [Theory]
    [InlineData("data.csv")]
    [InlineData("data.csv.gz")]
    [InlineData("data.npz")]
    [InlineData("data.npy")]
    public void Train_DataFileIsFifo_RefusedAtOnce(string name)
    {
        string fifo = Path.Combine(_dir, name);
        using (var mk = Process.Start("mkfifo", fifo)) mk.WaitForExit();
        AssertOneLine(Run("train", "--data", fifo, "--epochs", "1"), 2, "not a regular file");
    }

    [Fact]
    public void Inspect_RunJsonWithNullsAndWrongTypes_NamesTheField()
    {
        Assert.Equal(0, Run(["train", .. Small]).ExitCode);
        string run = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        string info = Path.Combine(run, RunFiles.Info);
        var root = JsonNode.Parse(File.ReadAllText(info))!.AsObject();
        root["data"] = null;
        File.WriteAllText(info, root.ToJsonString());
        AssertOneLine(Run("inspect", run), 2, "field data must be an object");
        root["data"] = new JsonObject { ["source"] = "digits", ["train"] = "many", ["test"] = 1, ["reference"] = 1 };
        File.WriteAllText(info, root.ToJsonString());
        AssertOneLine(Run("inspect", run), 2, "field data.train must be a whole number");
        File.WriteAllText(Path.Combine(run, RunFiles.Summary), "[null]");
        root["data"] = new JsonObject { ["source"] = "digits", ["train"] = 1, ["test"] = 1, ["reference"] = 1 };
        File.WriteAllText(info, root.ToJsonString());
        AssertOneLine(Run("inspect", run), 2, "must be an object, not null");
    }
}
