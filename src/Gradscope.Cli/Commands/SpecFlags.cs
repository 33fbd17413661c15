using System.CommandLine;
using System.Globalization;
using Gradscope.Experiments;
using Gradscope.Probes;

namespace Gradscope.Cli.Commands;

/// <summary>
/// The flags that describe an experiment, shared by train, sweep and diagnose. Values are strings so that
/// sweep can take comma-separated lists of any of them; <see cref="Apply"/> turns one value per flag into a spec,
/// overriding a --spec file.
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

    public IEnumerable<Option> All =>
    [
        Spec, Name, Layers, Depth, Width, Activation, OutputActivation, Init, BiasInit, Cost, Eta, Batch, Epochs, Lambda,
        Seed, Data, TrainSize, TestSize, Probes, Precision, Threads,
    ];

    /// <summary>The flags a sweep may vary (everything but --spec and --name).</summary>
    public IEnumerable<Option<string?>> Sweepable =>
    [
        Layers, Depth, Width, Activation, OutputActivation, Init, BiasInit, Cost, Eta, Batch, Epochs, Lambda, Seed,
        TrainSize, TestSize, Probes, Precision,
    ];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The spec from --spec (or defaults), with every given flag applied.</summary>
    public ExperimentSpec Build(ParseResult result, ExperimentSpec defaults, IReadOnlyDictionary<Option<string?>, string>? overrides = null)
    {
        string? specPath = result.GetValue(Spec);
        var spec = specPath is null ? defaults : ExperimentSpec.Load(specPath);
        string? Value(Option<string?> option) =>
            overrides is not null && overrides.TryGetValue(option, out var v) ? v : result.GetValue(option);

        var network = spec.Network;
        var training = spec.Training;
        var data = spec.Data;
        if (Value(Layers) is { } layers) network = network with { Layers = ParseLayers(layers) };
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
        if (Value(Activation) is { } activation) network = network with { Activation = activation, LayerActivations = null };
        if (Value(OutputActivation) is { } output) network = network with { OutputActivation = output };
        if (Value(Init) is { } init) network = network with { Init = init };
        if (Value(BiasInit) is { } biasInit) network = network with { BiasInit = biasInit };
        if (Value(Cost) is { } cost) network = network with { Cost = cost };
        if (Value(Eta) is { } eta) training = training with { Eta = ParseDouble(Eta, eta) };
        if (Value(Batch) is { } batch) training = training with { BatchSize = ParseInt(Batch, batch, min: 1) };
        if (Value(Epochs) is { } epochs) training = training with { Epochs = ParseInt(Epochs, epochs, min: 0) };
        if (Value(Lambda) is { } lambda) training = training with { Lambda = ParseDouble(Lambda, lambda) };
        if (Value(Threads) is { } threads) training = training with { Threads = ParseInt(Threads, threads, min: 1) };
        if (Value(Data) is { } source) data = data with { Source = source };
        if (Value(TrainSize) is { } trainSize) data = data with { Train = ParseInt(TrainSize, trainSize, min: 1) };
        if (Value(TestSize) is { } testSize) data = data with { Test = ParseInt(TestSize, testSize, min: 0) };
        spec = spec with { Network = network, Training = training, Data = data };
        if (Value(Probes) is { } probes)
        {
            try { spec = spec with { Probes = ProbeOptions.FromPreset(probes) with { ReferenceSize = spec.Probes.ReferenceSize } }; }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }
        if (Value(Precision) is { } precision) spec = spec with { Precision = precision };
        if (Value(Seed) is { } seed)
        {
            if (!ulong.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out ulong s))
                throw new UsageException($"--seed: '{seed}' is not a non-negative integer.");
            spec = spec with { Seed = s };
        }
        if (Value(Name) is { } name) spec = spec with { Name = name };
        else if (specPath is null) spec = spec with { Name = DefaultName(spec) };
        return spec;
    }

    public static string DefaultName(ExperimentSpec spec) =>
        $"{string.Join("-", spec.Network.Layers)}-{spec.Network.Activation}-{spec.Network.Init.Replace(':', '_')}";

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
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min)
            throw new UsageException($"{option.Name}: '{text}' is not an integer ≥ {min}.");
        return value;
    }

    private static double ParseDouble(Option option, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new UsageException($"{option.Name}: '{text}' is not a finite number.");
        return value;
    }
}
