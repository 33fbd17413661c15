using System.CommandLine;
using Gradscope.Cli.Commands;
using Gradscope.Cli.Terminal;
using Gradscope.Diagnosis;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Experiments;

/// <summary>One registry: its flags are the CLI's flags, and the doctor, --verify and the table use the same entries.</summary>
public sealed class RemedyRegistryTests
{
    // Two baselines: Nielsen's net of the remedies table, and the CLI's defaults with per-layer activations and λ set,
    // so that a flag that left a field behind (or touched one it should not) would show.
    private static readonly ExperimentSpec[] Baselines =
    [
        Remedies.Baseline(4, new RemedyBudget()),
        new ExperimentSpec
        {
            Name = "user",
            Network = new NetworkSpec { Layers = [784, 30, 30, 10], Activation = "sigmoid", LayerActivations = ["tanh", "sigmoid"], Init = "standard-normal" },
            Training = new TrainingOptions { Eta = 0.7, BatchSize = 32, Epochs = 3, Lambda = 5, Optimizer = "momentum" },
            Probes = ProbeOptions.FromPreset("minimal"),
            Seed = 17,
        },
    ];

    private static readonly RemedyContext[] Contexts = [RemedyContext.Of(new TrainingOptions()), new RemedyContext(0.37, 25, 0.04123)];

    [Fact]
    public void Prescribe_RemedyTheRunAlreadyTook_IsNeitherPrescribedNorVerified()
    {
        // For every finding, judged on the spec: a run made with relu-he's flags is not told to try relu-he, while a
        // remedy that changes it, and a name outside the registry, stay. Without the spec nothing can be judged.
        foreach (var baseline in Baselines)
        {
            var treated = RemedyRegistry.For("relu-he", baseline).Apply(baseline);
            var finding = new Gradscope.Record.Finding(FindingKind.Vanishing, Severity.Warning, "t", "e", "x",
                ["relu-he", "adam", "read the chapter"], new Dictionary<string, double>(), [1]);
            var onTreated = Prescriber.Prescribe([finding], RemedyContext.Of(treated)).Single();
            Assert.Equal(["adam", "read the chapter"], onTreated.Remedies);
            Assert.Equal(["adam"], onTreated.Prescriptions.Select(p => p.Remedy));
            var onBaseline = Prescriber.Prescribe([finding], RemedyContext.Of(baseline)).Single();
            Assert.Equal(["relu-he", "adam"], onBaseline.Prescriptions.Select(p => p.Remedy));
            var unknown = Prescriber.Prescribe([finding], RemedyContext.Of(treated.Training)).Single();
            Assert.Equal(finding.Remedies, unknown.Remedies);
        }
    }

    [Fact]
    public void Names_EveryRemedy_Unique()
    {
        Assert.Equal(RemedyRegistry.Names.Count, RemedyRegistry.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Subset(RemedyRegistry.Names.ToHashSet(), RemedyRegistry.Tuned.ToHashSet());
    }

    [Fact]
    public void Flags_ParsedByTheCli_GiveTheSpecApplyGives()
    {
        foreach (var baseline in Baselines)
            foreach (var context in Contexts)
                foreach (string name in RemedyRegistry.Names)
                {
                    var remedy = RemedyRegistry.For(name, context);
                    var flags = new SpecFlags(TrainCommand.Defaults);
                    var command = new RootCommand();
                    flags.AddTo(command);
                    var parsed = command.Parse(remedy.Flags.Split(' '));
                    Assert.True(parsed.Errors.Count == 0, $"{name}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
                    var typed = flags.Build(parsed, baseline) with { Name = baseline.Name };
                    var applied = remedy.Apply(baseline);
                    Assert.Equal(typed.ToJson(), applied.ToJson());
                    Assert.NotEqual(baseline.ToJson(), applied.ToJson());
                }
    }

    [Fact]
    public void Flags_EveryMappedFlag_IsACliOption()
    {
        var options = new SpecFlags(TrainCommand.Defaults).All.Select(o => o.Name).ToHashSet();
        Assert.Subset(options, SpecFields.Flags.ToHashSet());
    }

    [Fact]
    public void For_ReluHe_TheTunedFlags()
    {
        // Written out by hand: the flags a user types, and the spec they make.
        var remedy = RemedyRegistry.For("relu-he", Contexts[0]);
        Assert.Equal("--activation relu --init he-normal --eta 0.05", remedy.Flags);
        var spec = remedy.Apply(Baselines[1]);
        Assert.Equal(("relu", null, "he-normal", 0.05), (spec.Network.Activation, spec.Network.LayerActivations, spec.Network.Init, spec.Training.Eta));
        Assert.Equal("--residual --eta 0.3", RemedyRegistry.For("residual", Contexts[0]).Flags);
        Assert.True(RemedyRegistry.For("residual", Contexts[0]).Apply(Baselines[0]).Network.Residual);
    }

    [Fact]
    public void For_RunDependentRemedies_FlagsFromTheRunAndTheParameterSaysSo()
    {
        var measured = new RemedyContext(0.37, 25, 0.04123);
        Assert.Equal("--clip-norm 0.0412", RemedyRegistry.For("clip-norm", measured).Flags);
        Assert.Equal("--clip-norm 0.412", RemedyRegistry.For("clip-norm-loose", measured).Flags);
        Assert.Equal("--eta 0.037", RemedyRegistry.For("lower-eta", measured).Flags);
        Assert.Equal("--batch 250", RemedyRegistry.For("larger-batch", measured).Flags);
        Assert.Equal("--clip-norm 1", RemedyRegistry.For("clip-norm", measured with { MeanGradientNorm = double.NaN }).Flags);
        Assert.NotNull(RemedyRegistry.For("clip-norm", measured).Parameter);
        Assert.Null(RemedyRegistry.For("adam", measured).Parameter);
    }

    [Fact]
    public void For_UnknownRemedy_NamesItAndTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => RemedyRegistry.For("dropout", Contexts[0]));
        Assert.Contains("dropout", e.Message);
        Assert.Contains("relu-he", e.Message);
    }

    [Fact]
    public void Adam_ReproduceRemediesAndTheDoctorsVerify_SameEta()
    {
        // The table's adam and the adam that diagnose --verify runs on a user's run: one entry, one η.
        double table = Remedies.SpecOf("adam", 4, new RemedyBudget()).Training.Eta;
        var data = TestNets.Separable<float>(100, 20, seed: 4);
        var spec = new ExperimentSpec
        {
            Network = new NetworkSpec { Layers = [20, 8, 8, 2], Activation = "sigmoid" },
            Training = new TrainingOptions { Eta = 0.1, BatchSize = 10, Epochs = 1 },
        };
        var (_, results) = Verification.Verify(spec, [RemedyRegistry.For("adam", RemedyContext.Of(spec.Training))], data, null, 100);
        var adam = Assert.Single(results);
        Assert.Equal("adam", adam.Spec.Training.Optimizer);
        Assert.Equal(table, adam.Spec.Training.Eta);
        Assert.Equal(0.01, table);
        Assert.Equal("--optimizer adam --eta 0.01", adam.Flags);
    }

    [Fact]
    public void Doctor_VanishingRun_PrescriptionShowsTheRegistryFlags()
    {
        var spec = new ExperimentSpec
        {
            Network = new NetworkSpec { Layers = [20, 10, 10, 10, 10, 10, 10, 10, 10, 2], Activation = "sigmoid", Init = "standard-normal" },
            Training = new TrainingOptions { Eta = 0.5, BatchSize = 10, Epochs = 1 },
            Probes = ProbeOptions.FromPreset("standard") with { ReferenceSize = 200 },
        };
        var (findings, metrics) = PreFlight.Check(spec, TestNets.Separable<float>(600, 20, seed: 4));
        var vanishing = Assert.Single(findings, f => f.Kind == FindingKind.Vanishing);
        var context = RemedyContext.Of(spec.Training, metrics);
        var lines = vanishing.Remedies.Select(r => FindingsView.Try(r, context)).ToList();
        Assert.StartsWith("--activation relu --init he-normal --eta 0.05   # relu-he: ReLU", lines[0]);
        foreach (var (name, line) in vanishing.Remedies.Zip(lines))
        {
            var remedy = RemedyRegistry.For(name, context);
            Assert.StartsWith(remedy.Flags + "   # " + name + ": " + remedy.Reason, line);
        }
    }

    [Fact]
    public void Docs_EveryRemedy_ListedWithItsFlags()
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "remedies.md"));
        foreach (string name in RemedyRegistry.Names)
        {
            var remedy = RemedyRegistry.For(name, Contexts[0]);
            Assert.Contains(remedy.Parameter is null ? $"| `{name}` | `{remedy.Flags}` |" : $"| `{name}` | `", docs);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docs", "remedies.md"))) return dir.FullName;
        throw new DirectoryNotFoundException("docs/remedies.md not found above " + AppContext.BaseDirectory);
    }
}
