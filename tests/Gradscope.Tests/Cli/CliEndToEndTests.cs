using Gradscope.Experiments;

namespace Gradscope.Tests.Cli;

/// <summary>The built CLI end to end: bad input gives one line and exit 2; good input gives complete runs.</summary>
public sealed class CliEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CliRunner.Result Run(params string[] args) => CliRunner.Run(_dir, args);

    private static void AssertBadInput(CliRunner.Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);
    }

    private static readonly string[] SmallData = ["--train-size", "400", "--test-size", "100", "--epochs", "1"];
    private static readonly string[] Small = ["--layers", "784,12,10", .. SmallData];

    [Fact]
    public void Help_ListsEveryCommand()
    {
        var r = Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string c in new[] { "demo", "train", "sweep", "reproduce", "inspect", "export" }) Assert.Contains(c, r.Stdout);
    }

    [Theory]
    [InlineData(new[] { "train", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "train", "--layers", "784,0,10" }, "0")]
    [InlineData(new[] { "train", "--activation", "sigmoidal" }, "sigmoidal")]
    [InlineData(new[] { "train", "--init", "xavier-gauss" }, "xavier-gauss")]
    [InlineData(new[] { "train", "--eta", "-1" }, "-1")]
    [InlineData(new[] { "train", "--eta", "NaN" }, "NaN")]
    [InlineData(new[] { "train", "--layers", "100,30,10" }, "100")]
    [InlineData(new[] { "train", "--data", "/no/such/folder" }, "/no/such/folder")]
    [InlineData(new[] { "train", "--probes", "everything" }, "everything")]
    [InlineData(new[] { "inspect", "/no/such/run" }, "/no/such/run")]
    [InlineData(new[] { "reproduce", "nielsen-ch99" }, "nielsen-ch99")]
    [InlineData(new[] { "sweep", "--depth", "2" }, "several")]
    [InlineData(new[] { "train", "--optimizer", "adamax" }, "adamax")]
    [InlineData(new[] { "sweep", "--layers", "784,10,10", "--layer-rates", "1,1;1,1,1", "--train-size", "100", "--test-size", "50" }, "layer rates")]
    [InlineData(new[] { "train", "--layers", "784,10,10", "--depth", "1" }, "not both")]
    [InlineData(new[] { "train", "--test-size", "0" }, "0")]
    [InlineData(new[] { "train", "--clip-norm", "-1" }, "-1")]
    [InlineData(new[] { "train", "--momentum", "1.5" }, "1.5")]
    [InlineData(new[] { "train", "--normalization", "group" }, "group")]
    public void BadInput_OneLineAndExitCode2(string[] args, string expected) => AssertBadInput(Run(args), expected);

    [Fact]
    public void Train_InvalidSpecJson_SaysWhere()
    {
        string spec = Path.Combine(_dir, "bad.json");
        File.WriteAllText(spec, "{\n  \"name\": \"x\",\n  \"network\": { \"layers\": [784, 10 }\n}");
        var r = Run("train", "--spec", spec);
        AssertBadInput(r, "line 3");
    }

    [Fact]
    public void Train_MalformedIdxFolder_NamesTheFile()
    {
        string data = Path.Combine(_dir, "idx");
        Directory.CreateDirectory(data);
        foreach (string f in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            File.WriteAllBytes(Path.Combine(data, f), [1, 2, 3, 4, 5, 6, 7, 8]);
        var r = Run("train", "--data", data);
        AssertBadInput(r, "idx");
    }

    [Fact]
    public void Train_OutputIsAFile_RefusedAndFileKept()
    {
        string blocker = Path.Combine(_dir, "blocker");
        File.WriteAllText(blocker, "keep me");
        var r = Run(["train", .. Small, "--out", blocker]);
        AssertBadInput(r, "blocker");
        Assert.Equal("keep me", File.ReadAllText(blocker));
    }

    [Fact]
    public void Train_ThenInspectAndExport_CompleteRunReadBack()
    {
        var r = Run(["train", .. Small, "--probes", "full", "--out", "runs", "--name", "small"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        string run = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        var record = RunRecord.Load(run);
        Assert.True(record.IsComplete);
        Assert.Equal(2, record.Epochs.Count);
        Assert.Contains("epoch 1/1", r.Stdout);

        var inspect = Run("inspect", run);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("per layer", inspect.Stdout);
        var export = Run("export", run, "--csv", "out.csv");
        Assert.Equal(0, export.ExitCode);
        Assert.StartsWith("step,epoch,layer,quantity", File.ReadAllText(Path.Combine(_dir, "out.csv")));
    }

    [Fact]
    public void Train_SpecFileWithFlagOverride_FlagWins()
    {
        string spec = Path.Combine(_dir, "exp.json");
        File.WriteAllText(spec, """
            { "name": "fromfile", "network": { "layers": [784, 8, 10], "activation": "tanh" },
              "training": { "eta": 0.2, "batchSize": 20, "epochs": 1 }, "data": { "train": 300, "test": 50 }, "probes": { "preset": "minimal" } }
            """);
        var r = Run("train", "--spec", spec, "--activation", "relu", "--out", "runs");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        var record = RunRecord.Load(Directory.GetDirectories(Path.Combine(_dir, "runs")).Single());
        Assert.Equal("relu", record.Info.Layer(1).Activation);
        Assert.Equal("20", record.Info.Setting("batch"));
        Assert.Equal(20, RunInfos.SpecOf(record.Info).Training.BatchSize);
        Assert.Equal("fromfile", record.Info.Name);
    }

    [Fact]
    public void Train_WrongLayerRateCount_NoRunDirectoryLeftBehind()
    {
        AssertBadInput(Run(["train", .. Small, "--layer-rates", "1,2,3", "--out", "runs"]), "layer rates");
        Assert.False(Directory.Exists(Path.Combine(_dir, "runs")) && Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "runs")).Any());
    }

    [Fact]
    public void Export_OntoTheRunsOwnFile_RefusedAndRunKept()
    {
        var r = Run(["train", .. Small, "--probes", "minimal", "--out", "runs"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string run = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        string metrics = Path.Combine(run, "metrics.jsonl");
        long size = new FileInfo(metrics).Length;
        AssertBadInput(Run("export", run, "--csv", metrics), "overwrite");
        Assert.Equal(size, new FileInfo(metrics).Length);
    }

    [Fact]
    public void Train_RemedyFlags_RecordedInTheRun()
    {
        var r = Run(["train", .. SmallData, "--layers", "784,12,12,10", "--optimizer", "adam", "--eta", "0.01", "--clip-norm", "2",
            "--normalization", "batch", "--residual", "--probes", "minimal", "--out", "runs"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        var info = RunRecord.Load(Directory.GetDirectories(Path.Combine(_dir, "runs")).Single()).Info;
        var spec = RunInfos.SpecOf(info);
        Assert.Equal(("adam", 2.0, "batch", true), (spec.Training.Optimizer, spec.Training.ClipNorm, spec.Network.Normalization, spec.Network.Residual));
        // What a reader is shown says the same, without the engine.
        Assert.Equal(("adam", "2", "batch", "on"), (info.Setting("optimizer"), info.Setting("clip-norm"), info.Setting("normalization"), info.Setting("residual")));
        Assert.Equal(("batch", true), (info.Layer(2).Normalization, info.Layer(2).Residual));
    }

    [Fact]
    public void Diagnose_RunAndAtInit_PrintFindingsAndWriteThem()
    {
        var train = Run(["train", .. SmallData, "--layers", "784,10,10,10,10,10,10", "--init", "standard-normal", "--probes", "standard", "--out", "runs"]);
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        string run = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        Assert.True(File.Exists(Path.Combine(run, "findings.json")));
        var diagnose = Run("diagnose", run);
        Assert.Equal(0, diagnose.ExitCode);
        Assert.Contains("diagnosis of", diagnose.Stdout);
        var atInit = Run("diagnose", "--at-init", "--layers", "784,10,10,10,10,10,10,10,10,10", "--init", "standard-normal", "--train-size", "500");
        Assert.Equal(0, atInit.ExitCode);
        Assert.Contains("vanishing", atInit.Stdout);
        // The prescription is the registry's exact flags, then the reason.
        Assert.Contains("try: --activation relu --init he-normal --eta 0.05   # relu-he: ", atInit.Stdout);
    }

    [Fact]
    public void Diagnose_Verify_PrintsTheSpecEachRemedyRanWith()
    {
        var r = Run("diagnose", "--at-init", "--layers", "784,10,10,10,10,10,10,10,10,10", "--init", "standard-normal", "--train-size", "300",
            "--test-size", "100", "--verify", "--verify-examples", "200", "--top", "2");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("each ran with:", r.Stdout);
        Assert.Contains("baseline: [784,10,10,10,10,10,10,10,10,10] sigmoid cross-entropy standard-normal bias normal · sgd η 0.1 · batch 10 · λ 5", r.Stdout);
        Assert.Contains("relu-he: [784,10,10,10,10,10,10,10,10,10] relu cross-entropy he-normal bias normal · sgd η 0.05 · batch 10 · λ 5", r.Stdout);
    }

    [Fact]
    public void Sweep_TwoAxes_WritesSweepJsonAndOneRunPerConfig()
    {
        var r = Run("sweep", "--depth", "1,2", "--activation", "sigmoid,relu", "--width", "8", "--train-size", "200", "--test-size", "50", "--out", "runs");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        string sweep = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        Assert.True(File.Exists(Path.Combine(sweep, "sweep.json")));
        var runs = Directory.GetDirectories(sweep);
        Assert.Equal(4, runs.Length);
        Assert.All(runs, d => Assert.True(RunRecord.Load(d).IsComplete));
        Assert.Contains("depth=2,activation=relu", r.Stdout);
    }

    [Fact]
    public void Sweep_TrialSeed_SameResultsAsSingleTrainWithThatSeed()
    {
        var sweep = Run("sweep", "--eta", "0.1,0.2", "--layers", "784,8,10", "--train-size", "200", "--test-size", "50", "--out", "s");
        Assert.True(sweep.ExitCode == 0, sweep.Stderr);
        var fromSweep = RunRecord.Load(Path.Combine(Directory.GetDirectories(Path.Combine(_dir, "s")).Single(), "eta=0.2"));
        // A trial's seed derives from the sweep seed and its index (trial 1 of sweep seed 1).
        Assert.Equal(Gradscope.Cli.Sweeps.TrialPlanner.TrialSeed(1, 1), fromSweep.Info.Seed);
        var train = Run("train", "--eta", "0.2", "--layers", "784,8,10", "--train-size", "200", "--test-size", "50", "--epochs", "1",
            "--probes", "minimal", "--threads", "2", "--seed", fromSweep.Info.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", "t");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var single = RunRecord.Load(Directory.GetDirectories(Path.Combine(_dir, "t")).Single());
        Assert.Equal(single.Epochs[^1].TrainCost, fromSweep.Epochs[^1].TrainCost);
    }

    [Fact]
    public void Reproduce_List_NamesEveryExperiment()
    {
        var r = Run("reproduce", "--list");
        Assert.Equal(0, r.ExitCode);
        foreach (string name in new[] { "nielsen-ch5", "glorot-bengio", "he-relu-depth", "deep-linear", "jacobian-products" })
            Assert.Contains(name, r.Stdout);
    }

    [Fact]
    public void Reproduce_JacobianProducts_PrintsMeasuredBesidePredicted()
    {
        var r = Run("reproduce", "jacobian-products", "--budget", "0.1", "--out", "runs");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("measured (predicted)", r.Stdout);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "runs"), "reproduction.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void Demo_Short_ShowsBothNetsAndAVerdict()
    {
        var r = Run("demo", "--epochs", "1", "--train-size", "2000", "--out", "runs");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("sigmoid at init", r.Stdout);
        Assert.Contains("relu-he at init", r.Stdout);
        Assert.Contains("the first hidden layer learns", r.Stdout);
        var runs = Directory.GetDirectories(Directory.GetDirectories(Path.Combine(_dir, "runs")).Single());
        Assert.Equal(2, runs.Length);
        Assert.All(runs, d => Assert.True(RunRecord.Load(d).IsComplete));
    }
}
