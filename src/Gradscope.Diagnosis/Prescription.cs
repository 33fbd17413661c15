using Gradscope.Experiments;
using Gradscope.Probes;

namespace Gradscope.Diagnosis;

/// <summary>What a prescription may need to know about the run it treats.</summary>
/// <param name="MeanGradientNorm">Mean over measured steps of the global gradient norm √(Σ_l ‖∂C/∂W^l‖² + ‖∂C/∂b^l‖²).</param>
public sealed record PrescriptionContext(double MeanGradientNorm)
{
    public static PrescriptionContext From(IReadOnlyList<MetricRecord> metrics)
    {
        var perStep = metrics.Where(m => m.Quantity is Quantity.WeightGradNorm or Quantity.BiasGradNorm && double.IsFinite(m.Value))
            .GroupBy(m => m.Step).Select(g => Math.Sqrt(g.Sum(m => m.Value * m.Value))).ToList();
        return new PrescriptionContext(perStep.Count == 0 ? double.NaN : perStep.Average());
    }
}

/// <summary>A remedy as a change of spec, so that it can be verified by running it.</summary>
public sealed record Prescription(string Name, string Description, Func<ExperimentSpec, PrescriptionContext, ExperimentSpec> Apply)
{
    /// <summary>Every prescription the doctor may write, by name.</summary>
    public static IReadOnlyDictionary<string, Prescription> All { get; } = Build().ToDictionary(p => p.Name);

    public static Prescription Find(string name) =>
        All.TryGetValue(name, out var p) ? p : throw new ArgumentException($"Unknown prescription '{name}'. Valid: {string.Join(", ", All.Keys)}.");

    private static IEnumerable<Prescription> Build()
    {
        yield return new("relu-he", "ReLU hidden units with He init (σ' = 1 where active; Var W = 2/n_in keeps the signal's scale)",
            (s, _) => s with { Network = s.Network with { Activation = "relu", Init = "he-normal", BiasInit = "zero", LayerActivations = null } });
        yield return new("leaky-relu", "leaky ReLU (α = 0.01) with He init: no unit can die",
            (s, _) => s with { Network = s.Network with { Activation = "leaky-relu:0.01", Init = "he-normal", BiasInit = "zero", LayerActivations = null } });
        yield return new("glorot-init", "Glorot (normalised) init: Var W = 2/(n_in + n_out) balances forward and backward variances",
            (s, _) => s with { Network = s.Network with { Init = "glorot-normal" } });
        yield return new("orthogonal-init", "orthogonal init: every layer an isometry, so products of weights neither shrink nor grow",
            (s, _) => s with { Network = s.Network with { Init = "orthogonal" } });
        yield return new("batch-norm", "batch normalisation of hidden layers: each layer's input to σ is re-centred and re-scaled every step",
            (s, _) => s with { Network = s.Network with { Normalization = "batch" } });
        yield return new("residual", "residual (skip) connections: the identity path carries the gradient past each layer",
            (s, _) => s with { Network = s.Network with { Residual = true } });
        yield return new("rmsprop", "RMSProp (Hinton 6e): divides each step by the running RMS of its gradient, so slow layers take larger steps",
            (s, _) => s with { Training = s.Training with { Optimizer = "rmsprop", Eta = 0.01 } });
        yield return new("adam", "Adam: per-parameter step sizes from running gradient moments",
            (s, _) => s with { Training = s.Training with { Optimizer = "adam", Eta = 0.001 } });
        yield return new("trust-ratio", "layer-wise trust ratio (LARS): η_l ∝ ‖W^l‖/‖∂C/∂W^l‖ equalises the speed of learning across layers",
            (s, _) => s with { Training = s.Training with { TrustRatio = 0.02, Eta = Math.Max(s.Training.Eta, 1) } });
        yield return new("clip-norm", "clip the global gradient norm at the run's mean norm (Pascanu et al. 2013)",
            (s, c) => s with { Training = s.Training with { ClipNorm = double.IsFinite(c.MeanGradientNorm) && c.MeanGradientNorm > 0 ? c.MeanGradientNorm : 1 } });
        yield return new("clip-norm-loose", "clip the global gradient norm at 10× the run's mean norm: only the spikes",
            (s, c) => s with { Training = s.Training with { ClipNorm = double.IsFinite(c.MeanGradientNorm) && c.MeanGradientNorm > 0 ? 10 * c.MeanGradientNorm : 10 } });
        yield return new("lower-eta", "learning rate ÷ 10: smaller steps where gains compound",
            (s, _) => s with { Training = s.Training with { Eta = s.Training.Eta / 10 } });
        yield return new("larger-batch", "mini-batch × 10: averages away SGD noise",
            (s, _) => s with { Training = s.Training with { BatchSize = s.Training.BatchSize * 10 } });
        yield return new("zero-bias", "zero biases: large initial biases push units into saturation or death",
            (s, _) => s with { Network = s.Network with { BiasInit = "zero" } });
    }
}
