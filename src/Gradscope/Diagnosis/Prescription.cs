using Gradscope.Experiments;

namespace Gradscope.Diagnosis;

/// <summary>A remedy as a change of spec, so that it can be verified by running it.</summary>
public sealed record Prescription(string Name, string Description, Func<ExperimentSpec, ExperimentSpec> Apply)
{
    /// <summary>Every prescription the doctor may write, by name.</summary>
    public static IReadOnlyDictionary<string, Prescription> All { get; } = Build().ToDictionary(p => p.Name);

    public static Prescription Find(string name) =>
        All.TryGetValue(name, out var p) ? p : throw new ArgumentException($"Unknown prescription '{name}'. Valid: {string.Join(", ", All.Keys)}.");

    private static IEnumerable<Prescription> Build()
    {
        yield return new("relu-he", "ReLU hidden units with He init (σ' = 1 where active; Var W = 2/n_in keeps the signal's scale)",
            s => s with { Network = s.Network with { Activation = "relu", Init = "he-normal", BiasInit = "zero", LayerActivations = null } });
        yield return new("glorot-init", "Glorot (normalised) init: Var W = 2/(n_in + n_out) balances forward and backward variances",
            s => s with { Network = s.Network with { Init = "glorot-normal" } });
        yield return new("orthogonal-init", "orthogonal init: every layer an isometry, so products of weights neither shrink nor grow",
            s => s with { Network = s.Network with { Init = "orthogonal" } });
        yield return new("lower-eta", "learning rate ÷ 10: smaller steps where gains compound",
            s => s with { Training = s.Training with { Eta = s.Training.Eta / 10 } });
        yield return new("larger-batch", "mini-batch × 10: averages away SGD noise",
            s => s with { Training = s.Training with { BatchSize = s.Training.BatchSize * 10 } });
        yield return new("zero-bias", "zero biases: large initial biases push units into saturation or death",
            s => s with { Network = s.Network with { BiasInit = "zero" } });
    }
}
