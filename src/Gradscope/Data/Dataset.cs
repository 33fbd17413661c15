using System.Numerics;

namespace Gradscope.Data;

/// <summary>
/// Examples as row-major matrices: inputs [Count × InputSize], targets [Count × OutputSize]. Classification sets
/// also carry integer labels (targets are then one-hot). A sequence-labelling set has a target at every step
/// (<see cref="TargetSteps"/> = τ): each target row is then [τ × StepOutputs], and a labelled one has a label per step.
/// </summary>
public sealed class Dataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _inputs;
    private T[]? _targets;
    private readonly Func<(T[] Inputs, T[] Targets)>? _values;
    private readonly int[]? _labels;

    public Dataset(string name, int inputSize, int outputSize, T[] inputs, T[] targets, int[]? labels = null, int targetSteps = 1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"Input size must be positive, got {inputSize}.");
        if (outputSize < 1) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"Output size must be positive, got {outputSize}.");
        if (inputs.Length % inputSize != 0)
            throw new ArgumentException($"Dataset '{name}': {inputs.Length} input values is not a whole number of rows of {inputSize}.", nameof(inputs));
        int count = inputs.Length / inputSize;
        if (targets.Length != count * outputSize)
            throw new ArgumentException($"Dataset '{name}': {count} inputs but {targets.Length / (double)outputSize} target rows of {outputSize}.", nameof(targets));
        if (targetSteps < 1 || outputSize % targetSteps != 0)
            throw new ArgumentException($"Dataset '{name}': {outputSize} targets per example is not {targetSteps} steps of a whole number of targets.", nameof(targetSteps));
        if (labels is not null && labels.Length != (long)count * targetSteps)
            throw new ArgumentException($"Dataset '{name}': {count} inputs{(targetSteps > 1 ? $" of {targetSteps} labelled steps" : "")} but {labels.Length} labels.", nameof(labels));
        Name = name;
        InputSize = inputSize;
        OutputSize = outputSize;
        Count = count;
        _inputs = inputs;
        _targets = targets;
        _labels = labels;
        TargetSteps = targetSteps;
    }

    /// <summary>A set whose values are made on first use (<see cref="ConvertOnUse"/>); sizes and labels are known at once.</summary>
    private Dataset(string name, int count, int inputSize, int outputSize, Func<(T[] Inputs, T[] Targets)> values, int[]? labels)
    {
        Name = name;
        Count = count;
        InputSize = inputSize;
        OutputSize = outputSize;
        _values = values;
        _labels = labels;
    }

    public string Name { get; }
    public int Count { get; }
    public int InputSize { get; }
    public int OutputSize { get; }
    public bool HasLabels => _labels is not null;

    /// <summary>
    /// Time steps τ of a sequence set (1 otherwise): each input row is then [τ × InputSize/τ], step by step.
    /// </summary>
    public int Steps
    {
        get;
        init
        {
            if (value < 1 || InputSize % value != 0)
                throw new ArgumentException($"Dataset '{Name}': {InputSize} inputs per example is not {value} steps of a whole number of inputs.");
            field = value;
        }
    } = 1;

    /// <summary>Inputs per time step (InputSize / Steps).</summary>
    public int StepInputs => InputSize / Steps;

    public ReadOnlySpan<T> Inputs => InputArray;
    public ReadOnlySpan<T> Targets => TargetArray;
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Whether the values exist yet (a set made by <see cref="ConvertOnUse"/> makes them when first read).</summary>
    public bool IsMade => Volatile.Read(ref _inputs) is not null;

    private T[] InputArray => Volatile.Read(ref _inputs) ?? Make().Inputs;
    private T[] TargetArray => Volatile.Read(ref _targets) ?? Make().Targets;

    private (T[] Inputs, T[] Targets) Make()
    {
        lock (_values!)
        {
            if (_inputs is null)
            {
                var (inputs, targets) = _values();
                Volatile.Write(ref _targets, targets);
                Volatile.Write(ref _inputs, inputs); // published last: a reader that sees the inputs sees the targets
            }
            return (_inputs, _targets!);
        }
    }

    /// <summary>Steps with a target of their own: τ for sequence labelling (outputs at every step), else 1.</summary>
    public int TargetSteps { get; private init; } = 1;

    /// <summary>Targets (or classes) per target step (OutputSize / TargetSteps).</summary>
    public int StepOutputs => OutputSize / TargetSteps;

    public ReadOnlySpan<T> Input(int i) => InputArray.AsSpan(i * InputSize, InputSize);
    public ReadOnlySpan<T> Target(int i) => TargetArray.AsSpan(i * OutputSize, OutputSize);
    public int Label(int i) => _labels is null ? throw new InvalidOperationException($"Dataset '{Name}' has no labels.")
        : TargetSteps > 1 ? throw new InvalidOperationException($"Dataset '{Name}' has a label per step: use Label(i, t).") : _labels[i];

    /// <summary>The label of example i at target step t (0-based; t = 0 is the only step of a set labelled once per example).</summary>
    public int Label(int i, int t) => _labels is null ? throw new InvalidOperationException($"Dataset '{Name}' has no labels.") : _labels[i * TargetSteps + t];

    /// <summary>A classification set from pixel rows scaled to [0, 1] and labels in [0, classes).</summary>
    public static Dataset<T> Classification(string name, int inputSize, ReadOnlySpan<float> pixels, ReadOnlySpan<int> labels, int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"A classification set needs at least 2 classes, got {classes}.");
        var inputs = new T[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) inputs[i] = T.CreateChecked(pixels[i]);
        var targets = new T[labels.Length * classes];
        var copy = labels.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            if ((uint)copy[i] >= (uint)classes)
                throw new ArgumentException($"Dataset '{name}': label {copy[i]} at example {i} is outside [0, {classes}).", nameof(labels));
            targets[i * classes + copy[i]] = T.One;
        }
        return new Dataset<T>(name, inputSize, classes, inputs, targets, copy);
    }

    /// <summary>Examples [start, start + count) as a new set (copies).</summary>
    public Dataset<T> Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Slice [{start}, {start + count}) is outside a dataset of {Count}.");
        return new Dataset<T>(Name, InputSize, OutputSize,
            InputArray.AsSpan(start * InputSize, count * InputSize).ToArray(),
            TargetArray.AsSpan(start * OutputSize, count * OutputSize).ToArray(),
            _labels?.AsSpan(start * TargetSteps, count * TargetSteps).ToArray(), TargetSteps) { Steps = Steps };
    }

    /// <summary>The first <paramref name="count"/> examples; this dataset itself when that is all of them (datasets never change).</summary>
    public Dataset<T> Take(int count) => count >= Count ? this : Slice(0, count);

    /// <summary>The same examples in another precision.</summary>
    public Dataset<TOther> Convert<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var (inputs, targets) = Converted<TOther>();
        return new Dataset<TOther>(Name, InputSize, OutputSize, inputs, targets, _labels, TargetSteps) { Steps = Steps };
    }

    /// <summary>
    /// The same examples in another precision, converted when their values are first read: a float64 run keeps its
    /// float32 twin for its sizes and labels without paying for a copy of the data it never reads.
    /// </summary>
    public Dataset<TOther> ConvertOnUse<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther> =>
        new(Name, Count, InputSize, OutputSize, Converted<TOther>, _labels) { Steps = Steps, TargetSteps = TargetSteps };

    private (TOther[] Inputs, TOther[] Targets) Converted<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        T[] from = InputArray, fromTargets = TargetArray;
        var inputs = new TOther[from.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = TOther.CreateChecked(from[i]);
        var targets = new TOther[fromTargets.Length];
        for (int i = 0; i < targets.Length; i++) targets[i] = TOther.CreateChecked(fromTargets[i]);
        return (inputs, targets);
    }
}
