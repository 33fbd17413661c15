using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Gradscope.Cli;
using Gradscope.Cli.Commands;
using Gradscope.Diagnosis;
using Gradscope.Experiments;

namespace Gradscope.Tests.Cli;

/// <summary>
/// What a new user meets: the commands when none is given, the nearest command or flag to a typo, PyTorch's flag
/// names, every default in the help, a zero-epoch run judged at init, an interrupted run that says where it
/// stopped, and a stderr that carries only what gradscope means to say.
/// </summary>
public sealed class CliUsabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-usability-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CliRunner.Result Run(params string[] args) => CliRunner.Run(_dir, args);

    private static string OneErrorLine(CliRunner.Result r)
    {
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);
        return lines[0];
    }

    private static readonly string[] Small = ["--layers", "784,12,10", "--train-size", "400", "--test-size", "100", "--probes", "minimal"];

    [Fact]
    public void NoCommand_ListsTheCommandsAndSaysOneIsNeeded()
    {
        var r = Run();
        string error = OneErrorLine(r);
        Assert.Contains("no command given", error);
        foreach (string command in new[] { "demo", "train", "sweep", "diagnose", "inspect" })
        {
            Assert.Contains(command, error);
            Assert.Contains($"  {command}", r.Stdout);
        }
    }

    [Theory]
    [InlineData(new[] { "tran" }, "unknown command 'tran'; did you mean 'train'?")]
    [InlineData(new[] { "xyzzy" }, "unknown command 'xyzzy'. Commands: demo, train, sweep")]
    [InlineData(new[] { "sweep", "mrege" }, "did you mean 'merge'?")]
    [InlineData(new[] { "train", "--epoch", "3" }, "unknown flag --epoch for 'gradscope train'; did you mean --epochs?")]
    [InlineData(new[] { "train", "--lrr", "0.1" }, "did you mean --lr (the same as --eta)?")]
    [InlineData(new[] { "train", "--batchsize", "5" }, "did you mean --batch-size (the same as --batch)?")]
    [InlineData(new[] { "diagnose", "--verfy" }, "unknown flag --verfy for 'gradscope diagnose'; did you mean --verify?")]
    [InlineData(new[] { "train", "--frobnicate" }, "'gradscope train --help' lists its flags")]
    [InlineData(new[] { "train", "--weight-decay", "0.01", "--lambda", "5", "--train-size", "100", "--test-size", "10" }, "give one (--weight-decay wd is --lambda wd·n)")]
    public void Typo_OneLineNamingTheNearest(string[] args, string expected) => Assert.Contains(expected, OneErrorLine(Run(args)));

    [Fact]
    public void Nearest_SlipsAndPrefixes_FoundFarNamesNot()
    {
        string[] commands = ["demo", "train", "sweep", "reproduce", "diagnose", "report", "inspect", "export", "serve", "compare"];
        Assert.Equal("train", ParseErrors.Nearest("tran", commands));
        Assert.Equal("reproduce", ParseErrors.Nearest("reprodcue", commands));
        Assert.Equal("inspect", ParseErrors.Nearest("insp", commands));
        Assert.Null(ParseErrors.Nearest("frobnicate", commands));
        Assert.Equal(3, ParseErrors.Distance("kitten", "sitting"));
    }

    [Fact]
    public void PyTorchNames_AreAliasesAndWeightDecayIsPyTorchs()
    {
        var r = Run(["train", .. Small, "--epochs", "1", "--lr", "0.2", "--batch-size", "20", "--weight-decay", "0.001", "--out", "sgd"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains(", 1 epoch → ", r.Stdout);
        var sgd = RunInfos.SpecOf(RunRecord.Load(Directory.GetDirectories(Path.Combine(_dir, "sgd")).Single()).Info).Training;
        // PyTorch's SGD weight_decay wd adds wd·w to the gradient: Nielsen's λ/n = wd, so λ = wd × 400 examples.
        Assert.Equal((0.2, 20, 0.4), (sgd.Eta, sgd.BatchSize, Math.Round(sgd.Lambda, 12)));

        var adamw = Run(["train", .. Small, "--epochs", "1", "--optimizer", "adamw", "--lr", "0.001", "--weight-decay", "0.05", "--out", "adamw"]);
        Assert.True(adamw.ExitCode == 0, adamw.Stderr + adamw.Stdout);
        var decoupled = RunInfos.SpecOf(RunRecord.Load(Directory.GetDirectories(Path.Combine(_dir, "adamw")).Single()).Info).Training;
        Assert.Equal((0.05, TrainCommand.Defaults.Training.Lambda), (decoupled.WeightDecay, decoupled.Lambda));
    }

    [Fact]
    public void Help_EveryOptionOfEveryCommand_StatesItsDefaultOnce()
    {
        var missing = new List<string>();
        void Check(Command command, string path)
        {
            foreach (var option in command.Options)
            {
                if (option.ValueType == typeof(bool) || option.Name is "--help" or "--version") continue;
                string description = option.Description ?? "";
                int stated = description.Split("[default:").Length - 1 + (option.HasDefaultValue ? 1 : 0);
                bool elsewhere = description.Contains("(default", StringComparison.OrdinalIgnoreCase) || description.Contains(" default:", StringComparison.OrdinalIgnoreCase)
                    || description.Contains("default)", StringComparison.OrdinalIgnoreCase) || description.Contains(", default", StringComparison.OrdinalIgnoreCase);
                if (stated != 1 || elsewhere) missing.Add($"{path} {option.Name}: {description}");
            }
            foreach (var sub in command.Subcommands) Check(sub, $"{path} {sub.Name}");
        }
        Check(Gradscope.Cli.Cli.CreateRoot(), "gradscope");
        Assert.True(missing.Count == 0, "defaults not stated exactly once:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Help_TrainAndSweep_SayTheDefaultsRunsUseAndHowToList()
    {
        var train = Run("train", "--help");
        Assert.Equal(0, train.ExitCode);
        string help = string.Join(" ", train.Stdout.Split('\n').Select(l => l.Trim()));
        string lambda = TrainCommand.Defaults.Training.Lambda.ToString(CultureInfo.InvariantCulture);
        Assert.Contains($"(n training examples). [default: {lambda}]", help);
        Assert.Contains("about 6.9 at init on 10 classes", help);
        Assert.Contains("log-likelihood is the softmax form PyTorch calls cross-entropy", help);
        Assert.Contains("--eta, --lr", help);
        // The docs say the same default the runs use.
        string remedies = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "remedies.md"));
        Assert.Contains($"λ = {lambda} (`--lambda {lambda}`)", remedies);

        var sweep = Run("sweep", "--help");
        Assert.Equal(0, sweep.ExitCode);
        Assert.Contains("comma-separated list of values", sweep.Stdout);
        Assert.Contains("--layers and --layer-rates take ';'-separated lists", sweep.Stdout);
    }

    [Fact]
    public void TrainZeroEpochs_MeasuresAtInitAndJudgesItAsDiagnoseAtInitDoes()
    {
        string[] net = ["--layers", "784,10,10,10,10,10,10", "--init", "standard-normal", "--train-size", "300", "--test-size", "50", "--seed", "4"];
        var train = Run(["train", .. net, "--epochs", "0", "--out", "runs"]);
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        Assert.Contains("0 epochs: measured at init, no training step", train.Stdout);
        Assert.Contains("verdict at initialisation", train.Stdout);
        Assert.DoesNotContain("(s)", train.Stdout);
        Assert.DoesNotContain("no problems found", train.Stdout);
        string dir = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        var run = RunRecord.Load(dir);
        // The at-init record has what diagnose --at-init measures: ‖δ‖, factors and saturation, not only the speeds.
        foreach (string quantity in new[] { Quantity.ReferenceBiasGradNorm, Quantity.DeltaNorm, Quantity.ActivationFactor, Quantity.SaturatedFraction })
            Assert.Contains(run.Metrics, m => m.Quantity == quantity && m.Step == 0);
        var kinds = FindingsFile.Read(dir).Select(f => f.Kind).Order().ToList();
        Assert.Contains(FindingKind.Vanishing, kinds);

        var atInit = Run(["diagnose", "--at-init", .. net]);
        Assert.True(atInit.ExitCode == 0, atInit.Stderr + atInit.Stdout);
        // The same findings as the pre-flight check of the same net (titles up to their numbers).
        foreach (var kind in kinds.Distinct()) Assert.Contains(Title(kind, FindingsFile.Read(dir)).Split(':')[0], atInit.Stdout);

        var none = Run(["train", .. net, "--epochs", "0", "--probes", "none", "--out", "none"]);
        Assert.True(none.ExitCode == 0, none.Stderr + none.Stdout);
        Assert.Contains("nothing to judge — no gradient was measured", none.Stdout);
    }

    private static string Title(string kind, IReadOnlyList<Finding> findings) => findings.First(f => f.Kind == kind).Title;

    [Fact]
    public void TrainHealthyRun_NoFindingSaysWhatWasMeasured()
    {
        var r = Run(["train", "--layers", "784,12,10", "--train-size", "400", "--test-size", "100", "--epochs", "1", "--out", "runs"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.DoesNotContain("gradients reach every layer at comparable rates", r.Stdout);
        Assert.DoesNotContain("(s)", r.Stdout);
    }

    [Fact]
    public void ExplodingRun_PlotsItsReportWithNothingOnStderrButGradscopesOwnLines()
    {
        var train = Run("train", "--layers", "784,16,16,10", "--activation", "relu", "--init", "standard-normal:100000", "--cost", "quadratic",
            "--output-activation", "identity", "--eta", "10", "--train-size", "400", "--test-size", "100", "--epochs", "2", "--probes", "full", "--out", "runs");
        Assert.Equal(ExitCodes.RunFailed, train.ExitCode);
        Assert.Contains("run failed: non-finite", train.Stderr);
        Assert.All(train.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("gradscope: ", l));
        Assert.DoesNotContain("addPaint", train.Stderr);

        string dir = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        Assert.Contains(RunRecord.Load(dir).Metrics, m => m.Quantity == Quantity.DeadFraction && m.Value > 0);
        var report = Run("report", dir, "--figures", "figures");
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Equal("", report.Stderr);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dir, "figures"), "saturation.svg"));
    }

    [Fact]
    public void CtrlC_SaysWhereTheRunStoppedAndWhatWasKept()
    {
        var args = new[] { "train", "--layers", "784,16,10", "--train-size", "20000", "--test-size", "100", "--epochs", "30", "--probes", "minimal",
            "--checkpoint-every", "200", "--out", "runs", "--name", "stopped" };
        using var running = CliRunner.Start(_dir, new Dictionary<string, string>(), args);
        // Stop it once training is under way: its first checkpoint is written.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2) && !running.Process.HasExited
            && !(Directory.Exists(Path.Combine(_dir, "runs")) && Directory.EnumerateFiles(Path.Combine(_dir, "runs"), "checkpoint-*.gsc", SearchOption.AllDirectories).Any()))
            Thread.Sleep(50);
        Assert.False(running.Process.HasExited, "the run ended before it could be interrupted");
        using (var kill = Process.Start("kill", ["-INT", running.Process.Id.ToString(CultureInfo.InvariantCulture)])!) kill.WaitForExit();
        var r = running.Wait();

        Assert.Equal(ExitCodes.Interrupted, r.ExitCode);
        string dir = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        var run = RunRecord.Load(dir);
        Assert.Equal(RunStatus.Interrupted, run.Info.Status);
        string note = r.Stderr.Split('\n').Single(l => l.Contains("interrupted at step", StringComparison.Ordinal));
        long step = long.Parse(note.Split("interrupted at step ")[1].Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        // The step it names is where the record ends: after its last measurement, within one thinned schedule's gap
        // (60,000 steps measured about 2,000 times: every 30th).
        long last = run.Metrics.Max(m => m.Step);
        Assert.True(step > last && step <= last + 30, $"stopped at step {step}, last measured {last}");
        Assert.Contains($" of {30 * 2000:N0}, ", note);
        Assert.Contains("keeps the record up to that step", note);
        Assert.Contains("model.gsm", note);
        Assert.Contains($"gradscope train --resume {dir} continues from the checkpoint at step", note);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Gradscope.slnx not found above the test binaries.");
    }
}
