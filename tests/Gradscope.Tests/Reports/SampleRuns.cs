using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Reports;

/// <summary>
/// Real run directories for report tests, made once per test run by the experiment runner on a synthetic set:
/// a [20,16,16,16,2] sigmoid net with the full probe preset (so every figure has data), a minimal run, a ReLU
/// run that blows up, and a 2×2 sweep.
/// </summary>
public sealed class SampleRuns : IDisposable
{
    public SampleRuns()
    {
        // GRADSCOPE_KEEP_REPORTS=dir keeps the runs, figures and reports there, to look at them.
        _keep = Environment.GetEnvironmentVariable("GRADSCOPE_KEEP_REPORTS") is { Length: > 0 } keep ? keep : null;
        Root = _keep is not null ? Path.Combine(Path.GetFullPath(_keep), $"{Guid.NewGuid():N}"[..8]) : Path.Combine(Path.GetTempPath(), $"gradscope-reports-{Guid.NewGuid():N}");
        var train = TestNets.Separable<float>(400, 20, 1);
        var test = TestNets.Separable<float>(100, 20, 2);
        Full = Path.Combine(Root, "full");
        ExperimentRunner.Run(Spec("sigmoid-deep", "full", epochs: 3), train, test, Full);
        Minimal = Path.Combine(Root, "minimal");
        ExperimentRunner.Run(Spec("minimal", "minimal", epochs: 1), train, test, Minimal);
        Relu = Path.Combine(Root, "relu");
        ExperimentRunner.Run(Spec("relu-deep", "full", epochs: 1) with
        {
            Network = new NetworkSpec { Layers = [20, 16, 16, 16, 2], Activation = "relu", BiasInit = "constant:-0.2", OutputActivation = "sigmoid" },
        }, train, test, Relu);
        Failed = Path.Combine(Root, "failed");
        ExperimentRunner.Run(Spec("exploding", "full", epochs: 2) with
        {
            Network = new NetworkSpec { Layers = [20, 16, 16, 2], Activation = "relu", Init = "standard-normal:100000", Cost = "quadratic", OutputActivation = "identity" },
            Training = new TrainingOptions { Eta = 10, BatchSize = 10, Epochs = 2 },
        }, train, test, Failed);
        Sweep = Path.Combine(Root, "sweep");
        var entries = new List<string>();
        foreach (string activation in new[] { "sigmoid", "tanh" })
            foreach (double eta in new[] { 0.1, 1.0 })
            {
                string name = $"{activation}-eta{eta:0.0}";
                var spec = Spec(name, "minimal", epochs: 1) with
                {
                    Network = new NetworkSpec { Layers = [20, 16, 16, 16, 2], Activation = activation, OutputActivation = "sigmoid" },
                    Training = new TrainingOptions { Eta = eta, BatchSize = 10, Epochs = 1 },
                };
                ExperimentRunner.Run(spec, train, test, Path.Combine(Sweep, name));
                entries.Add($$"""{ "dir": "{{name}}", "params": { "activation": "{{activation}}", "eta": "{{eta:0.0}}" } }""");
            }
        File.WriteAllText(Path.Combine(Sweep, "sweep.json"), $$"""{ "name": "activation × eta", "runs": [ {{string.Join(",\n", entries)}} ] }""");
    }

    private readonly string? _keep;

    public string Root { get; }

    /// <summary>Full probes, 3 epochs: every figure has data.</summary>
    public string Full { get; }

    /// <summary>Minimal probes: no histograms, σ' statistics or Jacobian.</summary>
    public string Minimal { get; }

    /// <summary>Full probes on a ReLU net with negative biases: dead units and exact zeros in its histograms.</summary>
    public string Relu { get; }

    /// <summary>A ReLU net with huge weights that blows up: status failed, non-finite values in its metrics.</summary>
    public string Failed { get; }

    /// <summary>Four runs over activation × η with a sweep.json.</summary>
    public string Sweep { get; }

    public static ExperimentSpec Spec(string name, string preset, int epochs) => new()
    {
        Name = name,
        Network = new NetworkSpec { Layers = [20, 16, 16, 16, 2], Activation = "sigmoid" },
        Training = new TrainingOptions { Eta = 0.5, BatchSize = 10, Epochs = epochs },
        Probes = ProbeOptions.FromPreset(preset) with { ReferenceSize = 100 },
        Data = new DataSpec { Source = "separable", Train = 400, Test = 100 },
        Seed = 7,
    };

    /// <summary>Copies a run directory so a test can change it (rename, add findings) without touching the others.</summary>
    public string Copy(string run, string name)
    {
        string target = Path.Combine(Root, name);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(run)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    public void Dispose()
    {
        if (_keep is null && Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
