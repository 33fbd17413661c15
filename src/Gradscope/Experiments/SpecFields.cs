using System.Globalization;
using Gradscope.Probes;

namespace Gradscope.Experiments;

/// <summary>
/// The one mapping from a flag as a user types it (<c>--eta 0.05</c>) to a change of <see cref="ExperimentSpec"/>.
/// The CLI's parser applies its flags through it and a <see cref="Remedy"/> applies its flags through it, so the
/// flags a remedy prints and the spec it runs cannot disagree. Flags that need the data or each other (--layers,
/// --depth, --width, --data, --name, --spec) stay with the CLI.
/// </summary>
public static class SpecFields
{
    private static readonly Dictionary<string, Func<ExperimentSpec, string, ExperimentSpec>> Setters = new()
    {
        // A whole-net activation replaces per-layer ones, as the flag's help says.
        ["--activation"] = (s, v) => s with { Network = s.Network with { Activation = v, LayerActivations = null } },
        ["--output-activation"] = (s, v) => s with { Network = s.Network with { OutputActivation = v } },
        ["--init"] = (s, v) => s with { Network = s.Network with { Init = v } },
        ["--bias-init"] = (s, v) => s with { Network = s.Network with { BiasInit = v } },
        ["--cost"] = (s, v) => s with { Network = s.Network with { Cost = v } },
        ["--normalization"] = (s, v) => s with { Network = s.Network with { Normalization = v } },
        ["--eta"] = (s, v) => s with { Training = s.Training with { Eta = Double("--eta", v) } },
        ["--batch"] = (s, v) => s with { Training = s.Training with { BatchSize = Int("--batch", v, min: 1) } },
        ["--epochs"] = (s, v) => s with { Training = s.Training with { Epochs = Int("--epochs", v, min: 0) } },
        ["--lambda"] = (s, v) => s with { Training = s.Training with { Lambda = Double("--lambda", v) } },
        ["--threads"] = (s, v) => s with { Training = s.Training with { Threads = Int("--threads", v, min: 1) } },
        ["--optimizer"] = (s, v) => s with { Training = s.Training with { Optimizer = v } },
        ["--momentum"] = (s, v) => s with { Training = s.Training with { Momentum = Double("--momentum", v) } },
        ["--beta1"] = (s, v) => s with { Training = s.Training with { Beta1 = Double("--beta1", v) } },
        ["--beta2"] = (s, v) => s with { Training = s.Training with { Beta2 = Double("--beta2", v) } },
        ["--epsilon"] = (s, v) => s with { Training = s.Training with { Epsilon = Double("--epsilon", v) } },
        ["--decay"] = (s, v) => s with { Training = s.Training with { Decay = Double("--decay", v) } },
        ["--weight-decay"] = (s, v) => s with { Training = s.Training with { WeightDecay = Double("--weight-decay", v) } },
        ["--damping"] = (s, v) => s with { Training = s.Training with { Damping = Double("--damping", v) } },
        ["--kfac-inverse-every"] = (s, v) => s with { Training = s.Training with { KfacInverseEvery = Int("--kfac-inverse-every", v, min: 1) } },
        ["--kfac-stats-every"] = (s, v) => s with { Training = s.Training with { KfacStatsEvery = Int("--kfac-stats-every", v, min: 1) } },
        ["--kfac-rank"] = (s, v) => s with { Training = s.Training with { KfacRank = Int("--kfac-rank", v, min: 1) } },
        ["--layer-rates"] = (s, v) => s with
        {
            Training = s.Training with { LayerRates = v.Split(',', StringSplitOptions.TrimEntries).Select(r => Double("--layer-rates", r)).ToArray() },
        },
        ["--weight-rate"] = (s, v) => s with { Training = s.Training with { WeightRate = Double("--weight-rate", v) } },
        ["--bias-rate"] = (s, v) => s with { Training = s.Training with { BiasRate = Double("--bias-rate", v) } },
        ["--trust-ratio"] = (s, v) => s with { Training = s.Training with { TrustRatio = Double("--trust-ratio", v) } },
        ["--clip-norm"] = (s, v) => s with { Training = s.Training with { ClipNorm = Double("--clip-norm", v) } },
        ["--clip-value"] = (s, v) => s with { Training = s.Training with { ClipValue = Double("--clip-value", v) } },
        ["--residual"] = (s, v) => s with
        {
            Network = s.Network with { Residual = bool.TryParse(v, out bool r) ? r : throw new ArgumentException($"--residual: '{v}' is not true or false.") },
        },
        ["--cell"] = (s, v) => s with { Network = Recurrent(s.Network, r => r with { Cell = v }) },
        ["--nonlinearity"] = (s, v) => s with { Network = Recurrent(s.Network, r => r with { Nonlinearity = v }) },
        ["--recurrent-init"] = (s, v) => s with { Network = Recurrent(s.Network, r => r with { Init = v }) },
        ["--forget-bias"] = (s, v) => s with { Network = Recurrent(s.Network, r => r with { ForgetBias = Double("--forget-bias", v) }) },
        ["--bptt"] = (s, v) => s with { Network = Recurrent(s.Network, r => r with { Bptt = Int("--bptt", v, min: 0) }) },
        // "last" is stored as the field's absence, so a last-step spec reads as it did before outputs at every step.
        ["--outputs"] = (s, v) => s with
        {
            Network = Recurrent(s.Network, r => r with { Outputs = Model.RecurrentSpec.ParseOutputs(v) ? "every" : null }),
        },
        // Hidden sizes keep the ends, which the data sets (SequenceSpecs.Fit).
        ["--hidden"] = (s, v) => s with
        {
            Network = s.Network with
            {
                Layers = [s.Network.Layers[0], .. v.Split(',', StringSplitOptions.TrimEntries).Select(h => Int("--hidden", h, min: 1)), s.Network.Layers[^1]],
            },
        },
        ["--length"] = (s, v) => s with { Data = s.Data with { Length = Int("--length", v, min: 1) } },
        ["--train-size"] = (s, v) => s with { Data = s.Data with { Train = Int("--train-size", v, min: 1) } },
        ["--test-size"] = (s, v) => s with { Data = s.Data with { Test = Int("--test-size", v, min: 1) } },
        // A preset replaces the schedules but keeps the spec's reference-set size.
        ["--probes"] = (s, v) => s with { Probes = ProbeOptions.FromPreset(v) with { ReferenceSize = s.Probes.ReferenceSize } },
        ["--precision"] = (s, v) => s with { Precision = v },
        ["--seed"] = (s, v) => s with
        {
            Seed = ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) ? seed
                : throw new ArgumentException($"--seed: '{v}' is not a non-negative integer."),
        },
    };

    private static Model.NetworkSpec Recurrent(Model.NetworkSpec network, Func<Model.RecurrentSpec, Model.RecurrentSpec> change) =>
        network with { Recurrent = change(network.Recurrent ?? new Model.RecurrentSpec()) };

    /// <summary>Every flag this mapping sets, e.g. <c>--eta</c>.</summary>
    public static IReadOnlyCollection<string> Flags => Setters.Keys;

    /// <summary>The flags that may be given without a value (<c>--residual</c> means <c>--residual true</c>).</summary>
    public static bool IsSwitch(string flag) => flag == "--residual";

    /// <summary>
    /// <paramref name="spec"/> with one flag applied; <paramref name="value"/> is null for a switch given alone.
    /// A bad value throws an <see cref="ArgumentException"/> naming the flag and the value.
    /// </summary>
    public static ExperimentSpec Set(ExperimentSpec spec, string flag, string? value)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Setters.TryGetValue(flag, out var set))
            throw new ArgumentException($"Unknown spec flag '{flag}'. Valid: {string.Join(", ", Setters.Keys)}.");
        if (value is null && !IsSwitch(flag)) throw new ArgumentException($"{flag} needs a value.");
        return set(spec, value ?? "true");
    }

    public static int Int(string flag, string text, int min)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min)
            throw new ArgumentException($"{flag}: '{text}' is not an integer ≥ {min}.");
        return value;
    }

    public static double Double(string flag, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new ArgumentException($"{flag}: '{text}' is not a finite number.");
        return value;
    }
}
