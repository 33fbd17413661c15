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
    public Option<string?> Name { get; } = new("--name") { Description = "Run name." };
    public Option<string?> Layers { get; } = new("--layers") { Description = "Layer sizes, e.g. 784,30,30,10 (input and output sizes must match the data)." };
    public Option<string?> Depth { get; } = new("--depth") { Description = "Number of hidden layers (with --width), instead of --layers." };
    public Option<string?> Width { get; } = new("--width") { Description = "Units per hidden layer with --depth." };
    public Option<string?> Activation { get; } = new("--activation") { Description = "Hidden activation: " + string.Join(", ", Model.Activation.Names) + "." };
    public Option<string?> OutputActivation { get; } = new("--output-activation") { Description = "Output activation." };
    public Option<string?> Init { get; } = new("--init") { Description = "Weight initialiser: " + string.Join(", ", Model.Initializer.Names) + " (optional :gain)." };
    public Option<string?> BiasInit { get; } = new("--bias-init") { Description = "normal (N(0,1), Nielsen), zero, or constant:v." };
    public Option<string?> Cost { get; } = new("--cost")
    {
        Description = "quadratic, cross-entropy or log-likelihood. cross-entropy is Nielsen's, on sigmoid outputs: each output unit's " +
            "binary cross-entropy, summed (about 6.9 at init on 10 classes); log-likelihood is the softmax form PyTorch calls " +
            "cross-entropy (nn.CrossEntropyLoss; about ln 10 ≈ 2.3 at init on 10 classes).",
    };
    public Option<string?> Eta { get; } = new("--eta", "--lr") { Description = "Learning rate η (--lr is the same flag)." };
    public Option<string?> Batch { get; } = new("--batch", "--batch-size") { Description = "Mini-batch size (--batch-size is the same flag)." };
    public Option<string?> Epochs { get; } = new("--epochs") { Description = "Epochs to train; 0 measures the network at init and trains nothing." };
    public Option<string?> Lambda { get; } = new("--lambda") { Description = "L2 regularisation λ in Nielsen's λ/n form: each step scales the weights by 1 − ηλ/n (n training examples)." };
    public Option<string?> Seed { get; } = new("--seed") { Description = "Seed for weights and shuffles." };
    public Option<string?> Data { get; } = new("--data") { Description = "digits (embedded), mnist, a folder of IDX files, or a data file: .csv/.tsv/.txt (gzipped with .gz), .npy, .npz with x and y (docs/data.md)." };
    public Option<string?> Hidden { get; } = new("--hidden") { Description = "Hidden layer sizes, e.g. 64,64; input and output sizes come from the data." };
    public Option<string?> Target { get; } = new("--target") { Description = "Target column of a data file, by header name or 1-based number." };
    public Option<string?> Task { get; } = new("--task") { Description = "classify or regress." };
    public Option<string?> Delimiter { get; } = new("--delimiter") { Description = "Field separator of a text data file: ',', ';', '|', tab, or space (any run of blanks)." };
    public Option<string?> SkipRows { get; } = new("--skip-rows") { Description = "Lines to skip at the top of a data file before its header or first row." };
    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The data file has no header row (columns are named 1, 2, …)." };
    public Option<string?> TargetFile { get; } = new("--target-file") { Description = "Targets in a file of their own, one row per example (every column of --data is then a feature)." };
    public Option<bool> Standardize { get; } = new("--standardize") { Description = "Standardise features to mean 0, variance 1 (training-split statistics, saved with the model)." };
    public Option<string?> TestFraction { get; } = new("--test-fraction") { Description = "Fraction of a data file held out as the test set, seeded." };
    public Option<string?> TestFile { get; } = new("--test") { Description = "A separate test file in the layout of --data." };
    public Option<string?> TrainSize { get; } = new("--train-size") { Description = "Training examples to use." };
    public Option<string?> TestSize { get; } = new("--test-size") { Description = "Test examples to use." };
    public Option<string?> Probes { get; } = new("--probes") { Description = "Probe preset: none, minimal, standard, full." };
    public Option<string?> Precision { get; } = new("--precision") { Description = "float32 or float64." };
    public Option<string?> Threads { get; } = new("--threads") { Description = "Threads for the matrix kernels (results do not depend on it)." };
    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, rprop or kfac (docs/remedies.md)." };
    public Option<string?> Momentum { get; } = new("--momentum") { Description = "Momentum coefficient in [0, 1)." };
    public Option<string?> Beta1 { get; } = new("--beta1") { Description = "Adam β₁ in [0, 1)." };
    public Option<string?> Beta2 { get; } = new("--beta2") { Description = "Adam β₂ in [0, 1)." };
    public Option<string?> Epsilon { get; } = new("--epsilon") { Description = "ε of AdaGrad/RMSProp/Adam." };
    public Option<string?> Decay { get; } = new("--decay") { Description = "RMSProp's MeanSquare decay (Hinton: 0.9), also K-FAC's factor averaging." };
    public Option<string?> WeightDecay { get; } = new("--weight-decay")
    {
        Description = "PyTorch's weight_decay wd: with adamw, the decoupled decay (each step also subtracts η·wd·W); with any other " +
            "optimiser, L2 on the weights as PyTorch adds it to the gradient, i.e. --lambda wd·n for n training examples.",
    };
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

    public Option<bool> IgnoreMemoryCheck { get; } = new("--ignore-memory-check") { Description = "Train even when the run's estimated memory exceeds the machine's." };
    public Option<string?> Cell { get; } = new("--cell") { Description = "Recurrent hidden layers: rnn, lstm or gru (sequence data; its own defaults: docs/recurrent.md)." };
    public Option<string?> Nonlinearity { get; } = new("--nonlinearity") { Description = "σ of an rnn cell: tanh or relu." };
    public Option<string?> Length { get; } = new("--length") { Description = "Time steps T of a sequence task (adding, temporal-order…)." };
    public Option<string?> Outputs { get; } = new("--outputs") { Description = "Recurrent read-out: last (of h_T) or every (at every step: sequence labelling, y [N, T] or [N, T, O])." };
    public Option<string?> Bptt { get; } = new("--bptt") { Description = "Truncated backprop through time: the gradient crosses at most k steps (0 = full)." };
    public Option<string?> RecurrentInit { get; } = new("--recurrent-init") { Description = "W_hh initialiser: default (PyTorch's U(±1/√H)), orthogonal, identity, or radius:ρ." };
    public Option<string?> ForgetBias { get; } = new("--forget-bias") { Description = "LSTM forget-gate bias (e.g. 1)." };

    /// <summary>Units per hidden layer with <c>--depth</c> and no <c>--width</c>.</summary>
    public const int DefaultWidth = 30;

    /// <summary>
    /// The flags of a command whose runs start from <paramref name="defaults"/>: every flag's help ends with the
    /// default it takes, read from that spec, so the help and the runs cannot disagree.
    /// </summary>
    public SpecFlags(ExperimentSpec defaults, bool sweep = false)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var n = defaults.Network;
        var t = defaults.Training;
        string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
        var file = new Gradscope.Data.DataFileOptions();
        var recurrent = new Model.RecurrentSpec();
        (Option Option, string Default)[] stated =
        [
            (Spec, "none"), (Name, $"from the network, e.g. {DefaultName(defaults)}"), (Layers, string.Join(",", n.Layers)),
            (Depth, $"{n.Layers.Length - 2}, from --layers"), (Width, $"{DefaultWidth}"), (Activation, n.Activation),
            (OutputActivation, $"the cost's: {string.Join(", ", new[] { "quadratic", "cross-entropy", "log-likelihood" }.Select(c => $"{OutputFor(n, c)} for {c}"))}"),
            (Init, n.Init), (BiasInit, n.BiasInit), (Cost, n.Cost), (Eta, Num(t.Eta)), (Batch, $"{t.BatchSize}"), (Epochs, $"{t.Epochs}"),
            (Lambda, Num(t.Lambda)), (Seed, $"{defaults.Seed}"), (Data, defaults.Data.Source), (Hidden, "from --layers"),
            (Target, "the last column"), (Task, "from the target column: text or ≤ 100 whole-number values classify"),
            (Delimiter, $"'{file.Delimiter}'"), (SkipRows, $"{file.SkipRows}"), (TargetFile, "none"), (TestFraction, Num(file.TestFraction)),
            (TestFile, "none: --test-fraction of --data"),
            (TrainSize, $"{defaults.Data.Train}; all of a data file"), (TestSize, $"{defaults.Data.Test}; all of a data file's test split"),
            (Probes, defaults.Probes.Preset), (Precision, defaults.Precision),
            (Threads, sweep ? "1: a sweep runs each trial on one thread, trials in parallel" : $"{t.Threads}, one per core"),
            (Optimizer, t.Optimizer), (Momentum, Num(t.Momentum)), (Beta1, Num(t.Beta1)), (Beta2, Num(t.Beta2)), (Epsilon, Num(t.Epsilon)),
            (Decay, Num(t.Decay)), (WeightDecay, $"{Num(t.WeightDecay)} with adamw, 0 otherwise"), (Damping, Num(t.Damping)),
            (KfacInverseEvery, $"{t.KfacInverseEvery}"), (KfacStatsEvery, $"{t.KfacStatsEvery}"), (KfacRank, $"{t.KfacRank}"),
            (LayerRates, "1 for every layer"), (WeightRate, Num(t.WeightRate)), (BiasRate, Num(t.BiasRate)), (TrustRatio, Num(t.TrustRatio)),
            (ClipNorm, Num(t.ClipNorm)), (ClipValue, Num(t.ClipValue)), (Normalization, n.Normalization), (Residual, n.Residual ? "true" : "false"),
            (Cell, "none (dense layers)"), (Nonlinearity, recurrent.Nonlinearity), (Length, "the task's own (100; 28 for sequential-digits)"),
            (Outputs, "last"), (Bptt, $"{recurrent.Bptt}"), (RecurrentInit, recurrent.Init), (ForgetBias, "none: drawn like the other biases"),
        ];
        foreach (var (option, text) in stated) option.Description += $" [default: {text}]";
    }

    private static string OutputFor(Model.NetworkSpec network, string cost)
    {
        var c = Model.Cost.Parse(cost);
        return c is Model.Costs.QuadraticCost ? $"the hidden activation ({network.Activation})" : c.DefaultOutput;
    }

    public IEnumerable<Option> All =>
    [
        Spec, Name, Layers, Depth, Width, Activation, OutputActivation, Init, BiasInit, Cost, Eta, Batch, Epochs, Lambda,
        Seed, Data, Hidden, Target, Task, Delimiter, SkipRows, NoHeader, TargetFile, Standardize, TestFraction, TestFile,
        TrainSize, TestSize, Probes, Precision, Threads, IgnoreMemoryCheck, Length, Outputs, .. Remedies,
    ];

    /// <summary>
    /// Refuses, before anything large is allocated, a spec whose estimated memory (<see cref="MemoryEstimate"/>)
    /// times <paramref name="runs"/> at once exceeds the machine's, unless --ignore-memory-check is given.
    /// </summary>
    public void CheckMemory(ParseResult result, ExperimentSpec spec, int runs = 1)
    {
        if (result.GetValue(IgnoreMemoryCheck)) return;
        try { MemoryEstimate.For(spec).EnsureFits(MemoryEstimate.Available, runs); }
        catch (InsufficientMemoryException e) { throw new UsageException(e.Message); }
    }

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
        if (Value(Hidden) is { } hiddenSizes)
        {
            if (Value(Layers) is not null || Value(Depth) is not null) throw new UsageException("give --hidden (hidden sizes; input and output from the data) or --layers/--depth, not both.");
            network = network with { Layers = [network.Layers[0], .. ParseHidden(hiddenSizes), network.Layers[^1]] };
        }
        if (Value(Depth) is not null && Value(Layers) is not null)
            throw new UsageException("give either --layers or --depth (with --width), not both.");
        if (Value(Depth) is { } depth)
        {
            int hidden = ParseInt(Depth, depth, min: 0);
            if (hidden >= Model.NetworkSpec.MaxDepth)
                throw new UsageException($"--depth {hidden}: at most {Model.NetworkSpec.MaxDepth - 1} hidden layers.");
            int width = Value(Width) is { } w ? ParseInt(Width, w, min: 1) : DefaultWidth;
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
        if (Value(Data) is { } source)
            spec = spec with { Data = spec.Data with { Source = Directory.Exists(source) || File.Exists(source) ? Path.GetFullPath(source) : source } };
        spec = WithDataFile(spec, result, Value);
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
    /// <c>--weight-decay wd</c> with an optimiser other than adamw: L2 as PyTorch applies weight_decay, wd·w added to
    /// the gradient, which is Nielsen's λ/n with λ = wd·n for <paramref name="trainCount"/> examples; adamw keeps wd
    /// as its decoupled decay. Applied once the data, and so n, is known.
    /// </summary>
    public ExperimentSpec WithWeightDecay(ParseResult result, ExperimentSpec spec, int trainCount, IReadOnlyDictionary<Option<string?>, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string? Value(Option<string?> option) =>
            overrides is not null && overrides.TryGetValue(option, out var v) ? v : result.GetValue(option);
        if (Value(WeightDecay) is null || string.Equals(spec.Training.Optimizer, "adamw", StringComparison.OrdinalIgnoreCase)) return spec;
        if (Value(Lambda) is not null)
            throw new UsageException($"--weight-decay and --lambda are two forms of the same L2 with --optimizer {spec.Training.Optimizer}: give one (--weight-decay wd is --lambda wd·n).");
        return spec with
        {
            Training = spec.Training with { Lambda = spec.Training.WeightDecay * trainCount, WeightDecay = new Training.TrainingOptions().WeightDecay },
        };
    }

    /// <summary>Whether the sizes were given in full (--layers, --depth, a spec file): otherwise the data's input and output sizes are used.</summary>
    public bool SizesGiven(ParseResult result) => result.GetValue(Layers) is not null || result.GetValue(Spec) is not null;

    /// <summary>Whether the cost or output activation was chosen (a regression set otherwise gets quadratic cost and an identity output).</summary>
    public bool CostGiven(ParseResult result) =>
        result.GetValue(Cost) is not null || result.GetValue(OutputActivation) is not null || result.GetValue(Spec) is not null;

    /// <summary>The data-file options from their flags, for a <c>--data</c> that names a file.</summary>
    private ExperimentSpec WithDataFile(ExperimentSpec spec, ParseResult result, Func<Option<string?>, string?> value)
    {
        bool isFile = Experiments.DataFiles.IsFile(spec.Data.Source);
        var options = spec.Data.File ?? new Gradscope.Data.DataFileOptions();
        bool any = false;
        T Set<T>(Option<string?> option, Func<string, T> parse, T current)
        {
            if (value(option) is not { } text) return current;
            any = true;
            try { return parse(text); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }
        options = options with
        {
            Target = Set(Target, t => (string?)t, options.Target),
            Task = Set(Task, t => { Gradscope.Data.DataFileOptions.ParseTask(t); return (string?)t; }, options.Task),
            Delimiter = Set(Delimiter, t => t, options.Delimiter),
            SkipRows = Set(SkipRows, t => SpecFields.Int("--skip-rows", t, min: 0), options.SkipRows),
            TargetFile = Set(TargetFile, t => (string?)Path.GetFullPath(t), options.TargetFile),
            TestFraction = Set(TestFraction, t => SpecFields.Double("--test-fraction", t), options.TestFraction),
            TestFile = Set(TestFile, t => (string?)Path.GetFullPath(t), options.TestFile),
        };
        if (result.GetValue(NoHeader)) (options, any) = (options with { Header = false }, true);
        if (result.GetValue(Standardize)) (options, any) = (options with { Standardize = true }, true);
        if (!isFile)
        {
            if (any) throw new UsageException($"--target, --task, --delimiter, --skip-rows, --no-header, --target-file, --standardize, --test-fraction and --test apply to a data file; --data is '{spec.Data.Source}'.");
            return spec;
        }
        try { options.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        // A data file is used whole unless --train-size/--test-size say otherwise (the built-in sets' 50 000/10 000 do not apply).
        var data = spec.Data with { File = options };
        if (result.GetValue(Spec) is null)
        {
            if (value(TrainSize) is null) data = data with { Train = int.MaxValue };
            if (value(TestSize) is null) data = data with { Test = int.MaxValue };
        }
        return spec with { Data = data };
    }

    public static int[] ParseHidden(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new UsageException($"--hidden: '{parts[i]}' in '{text}' is not a positive layer size.");
        return sizes;
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

    // A sequence file by its name alone: the source is stored as a full path.
    public static string DefaultName(ExperimentSpec spec) => spec.Network.Recurrent is { } r
        ? $"{r.Cell}-{string.Join("-", spec.Network.Layers[1..^1])}-" +
          (Gradscope.Data.SequenceTasks.IsTask(spec.Data.Source) ? $"{spec.Data.Source}{r.Steps}" : Path.GetFileNameWithoutExtension(spec.Data.Source))
        : $"{string.Join("-", spec.Network.Layers)}-{spec.Network.Activation}-{spec.Network.Init.Replace(':', '_')}";

    public static int[] ParseLayers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length - 1 > Model.NetworkSpec.MaxDepth)
            throw new UsageException($"--layers: {parts.Length} sizes; at most {Model.NetworkSpec.MaxDepth} weight layers.");
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
