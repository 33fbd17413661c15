using System.Globalization;

namespace Gradscope.Experiments;

/// <summary>
/// Every remedy, once: the doctor prescribes from it, <c>diagnose --verify</c> runs it, <c>reproduce remedies</c>
/// tabulates it and docs/remedies.md lists it. Each entry is the line of flags a user would type.
/// </summary>
public static class RemedyRegistry
{
    private sealed record Entry(string Name, string Reason, bool Tuned, Func<RemedyContext, string> Flags, string? Parameter = null);

    // η of a tuned remedy: the best of a small grid (0.001 … 3 in ×3 steps) on Nielsen's 4-hidden-layer sigmoid net
    // after 1 epoch of 10,000 digits (docs/remedies.md), so no remedy wins by a better-tuned step. Plain SGD at
    // Nielsen's η = 0.1 stays at chance there. The untuned remedies keep the treated run's own η.
    private static readonly Entry[] Entries =
    [
        new("sgd", "plain SGD at its best step on Nielsen's net: the reference every other remedy must beat", true,
            _ => "--optimizer sgd --eta 3"),
        new("relu-he", "ReLU hidden units with He init: σ' = 1 where active, and Var W = 2/n_in keeps the signal's scale", true,
            _ => "--activation relu --init he-normal --eta 0.05"),
        new("glorot-init", "Glorot (normalised) init: Var W = 2/(n_in + n_out) balances forward and backward variances", true,
            _ => "--init glorot-normal --eta 3"),
        new("rmsprop", "RMSProp (Hinton 6e): each step divided by the running RMS of its gradient, so slow layers take larger steps", true,
            _ => "--optimizer rmsprop --eta 0.01"),
        new("adam", "Adam: per-parameter step sizes from running gradient moments", true,
            _ => "--optimizer adam --eta 0.01"),
        new("trust-ratio", "layer-wise trust ratio (LARS): η_l ∝ ‖W^l‖/‖∂C/∂W^l‖ equalises the speed of learning across layers", true,
            _ => "--trust-ratio 0.02 --eta 1"),
        new("batch-norm", "batch normalisation of hidden layers: each layer's input to σ is re-centred and re-scaled every step", true,
            _ => "--normalization batch --eta 0.3"),
        new("residual", "residual (skip) connections: the identity path carries the gradient past each layer", true,
            _ => "--residual --eta 0.3"),
        new("kfac", "K-FAC (Martens & Grosse 2015): each layer's step preconditioned by its Kronecker-factored curvature", true,
            _ => "--optimizer kfac --eta 0.5 --damping 0.1 --kfac-inverse-every 20"),
        new("leaky-relu", "leaky ReLU (α = 0.01) with He init and zero biases: no unit can die", false,
            _ => "--activation leaky-relu:0.01 --init he-normal --bias-init zero"),
        new("orthogonal-init", "orthogonal init: every layer an isometry, so products of weights neither shrink nor grow", false,
            _ => "--init orthogonal"),
        new("clip-norm", "clip the global gradient norm at the run's mean norm (Pascanu et al. 2013)", false,
            c => $"--clip-norm {Number(Measured(c.MeanGradientNorm, 1))}",
            "τ = the treated run's mean global gradient norm (1 where none was measured)"),
        new("clip-norm-loose", "clip the global gradient norm at 10× the run's mean norm: only the spikes", false,
            c => $"--clip-norm {Number(10 * Measured(c.MeanGradientNorm, 1))}",
            "τ = 10 × the treated run's mean global gradient norm (10 where none was measured)"),
        new("lower-eta", "learning rate ÷ 10: smaller steps where gains compound", false,
            c => $"--eta {Number(c.Eta / 10)}", "η = the treated run's η ÷ 10"),
        new("larger-batch", "mini-batch × 10: averages away SGD noise", false,
            c => $"--batch {(c.BatchSize * 10).ToString(CultureInfo.InvariantCulture)}", "m = the treated run's mini-batch × 10"),
        new("zero-bias", "zero biases: large initial biases push units into saturation or death", false,
            _ => "--bias-init zero"),
        new("softmax-log-likelihood", "softmax outputs with the log-likelihood cost, a matched pair (Nielsen ch. 3): δ^L = a − y, so a saturated wrong output no longer learns slowly", false,
            _ => "--output-activation softmax --cost log-likelihood"),
        // Recurrent nets (docs/recurrent.md): the gradient through time is a product over steps, not layers.
        new("clip-norm-1", "clip the global gradient norm at 1, Pascanu et al. (2013)'s threshold: an exploding step keeps its direction", false,
            _ => "--clip-norm 1"),
        new("lstm", "LSTM cells (Hochreiter & Schmidhuber 1997): the cell state carries the gradient multiplied by the forget gate only", false,
            _ => "--cell lstm"),
        new("gru", "GRU cells (Cho et al. 2014): the update gate's direct path z ⊙ h carries the gradient past the recurrent weights", false,
            _ => "--cell gru"),
        new("orthogonal-recurrent", "orthogonal W_hh (Saxe et al. 2014): every singular value 1, at Pascanu et al.'s bound for tanh", false,
            _ => "--recurrent-init orthogonal"),
        new("identity-recurrent", "identity W_hh with ReLU units (Le, Jaitly & Hinton 2015's IRNN): h_t = h_{t−1} + input at init", false,
            _ => "--recurrent-init identity --nonlinearity relu"),
        new("forget-bias", "LSTM with forget-gate bias 1 (Gers et al. 2000; Jozefowicz et al. 2015): the cell state survives a step at init", false,
            _ => "--cell lstm --forget-bias 1"),
        new("shorter-bptt", "truncated backprop through time, 20 steps: bounds how far an exploding product can compound", false,
            _ => "--bptt 20"),
    ];

    /// <summary>Every remedy, in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Entries.Select(e => e.Name)];

    /// <summary>The remedies whose η was tuned on Nielsen's net; <c>reproduce remedies</c> tabulates these.</summary>
    public static IReadOnlyList<string> Tuned { get; } = [.. Entries.Where(e => e.Tuned).Select(e => e.Name)];

    public static bool Contains(string name) => Entries.Any(e => e.Name == name);

    /// <summary>The remedy <paramref name="name"/> for the run described by <paramref name="context"/>, with its flags.</summary>
    public static Remedy For(string name, RemedyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entry = Entries.FirstOrDefault(e => e.Name == name)
            ?? throw new ArgumentException($"Unknown remedy '{name}'. Valid: {string.Join(", ", Names)}.");
        return new Remedy(entry.Name, entry.Reason, SpecChange.Parse(entry.Flags(context)), entry.Parameter);
    }

    /// <summary>The remedy for a run of <paramref name="treated"/> whose gradient norms were not measured.</summary>
    public static Remedy For(string name, ExperimentSpec treated)
    {
        ArgumentNullException.ThrowIfNull(treated);
        return For(name, RemedyContext.Of(treated.Training));
    }

    private static double Measured(double value, double fallback) => double.IsFinite(value) && value > 0 ? value : fallback;

    // Three significant digits: the flag a user types; Apply parses the same text, so nothing is lost between them.
    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
