using System.CommandLine;
using System.Globalization;
using Gradscope.Experiments;
using Gradscope.Probes;

namespace Gradscope.Cli.Commands;

/// <summary>
/// The flags that describe an experiment, shared by train, sweep and diagnose. Values are strings so that
/// sweep can take comma-separated lists of any of them; <see cref="Build"/> turns one value per flag into a spec,
/// overriding a --spec file. All but the shape, data and name flags are applied through <see cref="SpecFields"/>,
/// the mapping a remedy's flags go through too.
/// </summary>
public sealed class SpecFlags
{
    public Option<string?> Spec { get; } = new("--spec") { Description = "Experiment spec file (JSON); flags override it." };
    public Option<string?> Name { get; } = new("--name") { Description = "Run name (default: from the flags)." };
    public Option<string?> Layers { get; } = new("--layers") { Description = "Layer sizes, e.g. 784,30,30,10 (input and output sizes must match the data)." };
    public Option<string?> Depth { get; } = new("--depth") { Description = "Number of hidden layers (with --width), instead of --layers." };
    public Option<string?> Width { get; } = new("--width") { Description = "Units per hidden layer with --depth (default 30)." };
    public Option<string?> Activation { get; } = new("--activation") { Description = "Hidden activation: " + string.Join(", ", Model.Activation.Names) + "." };
    public Option<string?> OutputActivation { get; } = new("--output-activation") { Description = "Output activation (default: the cost's)." };
    public Option<string?> Init { get; } = new("--init") { Description = "Weight initialiser: " + string.Join(", ", Model.Initializer.Names) + " (optional :gain)." };
    public Option<string?> BiasInit { get; } = new("--bias-init") { Description = "normal (N(0,1), Nielsen), zero, or constant:v." };
    public Option<string?> Cost { get; } = new("--cost") { Description = "quadratic, cross-entropy or log-likelihood." };
    public Option<string?> Eta { get; } = new("--eta") { Description = "Learning rate η." };
    public Option<string?> Batch { get; } = new("--batch") { Description = "Mini-batch size." };
    public Option<string?> Epochs { get; } = new("--epochs") { Description = "Epochs to train." };
    public Option<string?> Lambda { get; } = new("--lambda") { Description = "L2 regularisation λ (Nielsen's λ/n form)." };
    public Option<string?> Seed { get; } = new("--seed") { Description = "Seed for weights and shuffles." };
    public Option<string?> Data { get; } = new("--data") { Description = "digits (embedded, default), mnist, or a folder of IDX files." };
    public Option<string?> TrainSize { get; } = new("--train-size") { Description = "Training examples to use (default 50000)." };
    public Option<string?> TestSize { get; } = new("--test-size") { Description = "Test examples to use (default 10000)." };
    public Option<string?> Probes { get; } = new("--probes") { Description = "Probe preset: none, minimal, standard, full." };
    public Option<string?> Precision { get; } = new("--precision") { Description = "float32 (default) or float64." };
    public Option<string?> Threads { get; } = new("--threads") { Description = "Threads for the matrix kernels (results do not depend on it)." };
    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, rprop or kfac (docs/remedies.md)." };
    public Option<string?> Momentum { get; } = new("--momentum") { Description = "Momentum coefficient in [0, 1)." };
    public Option<string?> Beta1 { get; } = new("--beta1") { Description = "Adam β₁ in [0, 1)." };
    public Option<string?> Beta2 { get; } = new("--beta2") { Description = "Adam β₂ in [0, 1)." };
    public Option<string?> Epsilon { get; } = new("--epsilon") { Description = "ε of AdaGrad/RMSProp/Adam." };
    public Option<string?> Decay { get; } = new("--decay") { Description = "RMSProp's MeanSquare decay (Hinton: 0.9), also K-FAC's factor averaging." };
    public Option<string?> WeightDecay { get; } = new("--weight-decay") { Description = "AdamW's decoupled weight decay." };
    public Option<string?> Damping { get; } = new("--damping") { Description = "K-FAC damping." };
    public Option<string?> KfacInverseEvery { get; } = new("--kfac-inverse-every") { Description = "Steps between K-FAC factor inversions." };
    public Option<string?> KfacStatsEvery { get; } = new("--kfac-stats-every") { Description = "Steps between K-FAC factor-statistics updates (decay adjusted to keep the window)." };
    public Option<string?> KfacRank { get; } = new("--kfac-rank") { Description = "Eigenpairs kept of K-FAC factors above 256 (low-rank inverse; ≥ the dimension = exact)." };
    public Option<string?> LayerRates { get; } = new("--layer-rates") { Description = "Learning-rate multiplier per weight layer, e.g. 10,3,1,1 (';'-separated lists in a sweep)." };
    public Option<string?> WeightRate { get; } = new("--weight-rate") { Description = "Learning-rate multiplier for weights." };
    public Option<string?> BiasRate { get; } = new("--bias-rate") { Description = "Learning-rate multiplier for biases." };
    public Option<string?> TrustRatio { get; } = new("--trust-ratio") { Description = "LARS trust coefficient: η_l = η·τ·‖W^l‖/‖∂C/∂W^l‖ (0 = off)." };
    public Option<string?> ClipNorm { get; } = new("--clip-norm") { Description = "Clip the global gradient norm at τ (Pascanu et al.; 0 = off)." };
    public Option<string?> ClipValue { get; } = new("--clip-value") { Description = "Clip each gradient component to [−v, v] (0 = off)." };
    public Option<string?> Normalization { get; } = new("--normalization") { Description = "none, batch or layer normalisation of hidden layers." };
    public Option<string?> Residual { get; } = new("--residual") { Description = "Skip connections a^l = σ(z^l) + a^{l−1} where sizes match (--residual, or --residual true|false).", Arity = ArgumentArity.ZeroOrOne };

    public Option<string?> Cell { get; } = new("--cell") { Description = "Recurrent hidden layers: rnn, lstm or gru (sequence data; docs/recurrent.md)." };
    public Option<string?> Hidden { get; } = new("--hidden") { Description = "Hidden sizes of a recurrent net, e.g. 128 or 128,128 (stacked)." };
    public Option<string?> Nonlinearity { get; } = new("--nonlinearity") { Description = "σ of an rnn cell: tanh (default) or relu." };
    public Option<string?> Length { get; } = new("--length") { Description = "Time steps T of a sequence task (adding, temporal-order…)." };
    public Option<string?> Bptt { get; } = new("--bptt") { Description = "Truncated backprop through time: the gradient crosses at most k steps (0 = full)." };
    public Option<string?> RecurrentInit { get; } = new("--recurrent-init") { Description = "W_hh initialiser: default (U(±1/√H)), orthogonal, identity, or radius:ρ." };
    public Option<string?> ForgetBias { get; } = new("--forget-bias") { Description = "LSTM forget-gate bias (e.g. 1)." };

    public IEnumerable<Option> All =>
    [
        Spec, Name, Layers, Depth, Width, Activation, OutputActivation, Init, BiasInit, Cost, Eta, Batch, Epochs, Lambda,
        Seed, Data, TrainSize, TestSize, Probes, Precision, Threads, Hidden, Length, .. Remedies,
    ];

    private IEnumerable<Option<string?>> Remedies =>
    [
        Optimizer, Momentum, Beta1, Beta2, Epsilon, Decay, WeightDecay, Damping, KfacInverseEvery, KfacStatsEvery, KfacRank, LayerRates, WeightRate, BiasRate,
        TrustRatio, ClipNorm, ClipValue, Normalization, Residual, Cell, Nonlinearity, Bptt, RecurrentInit, ForgetBias,
    ];

    /// <summary>The flags applied through <see cref="SpecFields"/>, the mapping that remedies use too.</summary>
    private IEnumerable<Option<string?>> Fields => All.OfType<Option<string?>>().Where(o => SpecFields.Flags.Contains(o.Name));

    /// <summary>The flags a sweep may vary (everything but --spec and --name).</summary>
    public IEnumerable<Option<string?>> Sweepable =>
    [
        Layers, Depth, Width, Activation, OutputActivation, Init, BiasInit, Cost, Eta, Batch, Epochs, Lambda, Seed,
        TrainSize, TestSize, Probes, Precision, Hidden, Length, .. Remedies,
    ];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The spec from --spec (or defaults), with every given flag applied.</summary>
    public ExperimentSpec Build(ParseResult result, ExperimentSpec defaults, IReadOnlyDictionary<Option<string?>, string>? overrides = null)
    {
        string? specPath = result.GetValue(Spec);
        string? Value(Option<string?> option) =>
            overrides is not null && overrides.TryGetValue(option, out var v) ? v : result.GetValue(option);
        var spec = specPath is null ? defaults : ExperimentSpec.Load(specPath);

        var network = spec.Network;
        if (Value(Layers) is { } layers) network = network with { Layers = ParseLayers(layers) };
        if (Value(Depth) is not null && Value(Layers) is not null)
            throw new UsageException("give either --layers or --depth (with --width), not both.");
        if (Value(Depth) is { } depth)
        {
            int hidden = ParseInt(Depth, depth, min: 0);
            int width = Value(Width) is { } w ? ParseInt(Width, w, min: 1) : 30;
            int[] sizes = [network.Layers[0], .. Enumerable.Repeat(width, hidden), network.Layers[^1]];
            network = network with { Layers = sizes };
        }
        else if (Value(Width) is { } w)
        {
            int width = ParseInt(Width, w, min: 1);
            network = network with { Layers = [network.Layers[0], .. Enumerable.Repeat(width, network.Layers.Length - 2), network.Layers[^1]] };
        }
        spec = spec with { Network = network };
        // Every other flag goes through the one mapping a remedy's flags also go through.
        foreach (var option in Fields)
        {
            string? value = Value(option);
            bool switchGiven = SpecFields.IsSwitch(option.Name) && (overrides?.ContainsKey(option) == true || result.GetResult(option) is not null);
            if (value is not null || switchGiven) spec = SpecFields.Set(spec, option.Name, value);
        }
        // A folder is stored as a full path, so the run can be re-run (diagnose --verify) from anywhere.
        if (Value(Data) is { } source) spec = spec with { Data = spec.Data with { Source = Directory.Exists(source) ? Path.GetFullPath(source) : source } };
        // A recurrent net takes its input size, output size and τ from its sequence data.
        if (spec.Network.Recurrent is not null && IsSequenceSource(spec.Data.Source))
        {
            try { spec = SequenceSpecs.Fit(spec, DataLoading.Load(spec.Data).Train); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }
        if (Value(Name) is { } name) spec = spec with { Name = name };
        else if (specPath is null) spec = spec with { Name = DefaultName(spec) };
        return spec;
    }

    /// <summary>
    /// The spec a command starts from: with <c>--cell</c> and no <c>--spec</c>, the recurrent defaults (cost and
    /// output chosen by the task, <see cref="SequenceSpecs.Defaults"/>), else <paramref name="defaults"/>.
    /// </summary>
    public ExperimentSpec DefaultsFor(ParseResult result, ExperimentSpec defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        if (result.GetValue(Spec) is not null || result.GetValue(Cell) is null) return defaults;
        var recurrent = SequenceSpecs.Defaults(result.GetValue(Data));
        return recurrent with { Training = recurrent.Training with { Threads = defaults.Training.Threads } };
    }

    private static bool IsSequenceSource(string source) =>
        Gradscope.Data.SequenceTasks.IsTask(source) || source.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);

    public static string DefaultName(ExperimentSpec spec) => spec.Network.Recurrent is { } r
        ? $"{r.Cell}-{string.Join("-", spec.Network.Layers[1..^1])}-{spec.Data.Source}{r.Steps}"
        : $"{string.Join("-", spec.Network.Layers)}-{spec.Network.Activation}-{spec.Network.Init.Replace(':', '_')}";

    public static int[] ParseLayers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new UsageException($"--layers: '{parts[i]}' in '{text}' is not a positive layer size.");
        if (sizes.Length < 2) throw new UsageException($"--layers: '{text}' needs at least an input and an output size.");
        return sizes;
    }

    private static int ParseInt(Option option, string text, int min)
    {
        try { return SpecFields.Int(option.Name, text, min); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }
}
