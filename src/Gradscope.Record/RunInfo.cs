using System.Text.Json;

namespace Gradscope.Record;

/// <summary>The data a run trained on: its source and the sizes used.</summary>
public sealed record DataInfo(string Source, int Train, int Test, int Reference);

/// <summary>
/// One layer of a run as the record sees it, whatever built it: Nielsen's index l (1 = first hidden layer, the
/// index metric records carry), a name, a kind (<c>dense</c>, or a framework's module type), its sizes, its
/// activation when it has one, and the names of its parameters.
/// </summary>
public sealed record LayerDescriptor
{
    public int Index { get; init; }
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "dense";
    public int Inputs { get; init; }
    public int Units { get; init; }

    /// <summary>The activation's canonical name (<c>sigmoid</c>, <c>relu</c>, …); null when the layer has none or it is unknown.</summary>
    public string? Activation { get; init; }

    /// <summary>Normalisation inside the layer (<c>batch</c>, <c>layer</c>), or null.</summary>
    public string? Normalization { get; init; }

    /// <summary>Whether the layer adds its input to its output (a residual block).</summary>
    public bool Residual { get; init; }

    public IReadOnlyList<string> Parameters { get; init; } = [];
}

/// <summary>One setting of a run as shown to a reader (optimiser, η, clipping, …), in the order the writer chose.</summary>
public sealed record RunSetting(string Name, string Value);

/// <summary>
/// run.json: everything needed to know, and repeat, what a run did (docs/run-record.md). It names no engine type:
/// layers are descriptors, the settings a reader shows are name–value pairs, and the spec that made the run is kept
/// as JSON for the engine to read back (<c>diagnose --verify</c> reruns it).
/// </summary>
public sealed record RunInfo
{
    public const string CurrentFormat = "gradscope-run/2";

    /// <summary>The format of runs written before layer descriptors (read by <see cref="RunInfoV1"/>).</summary>
    public const string FirstFormat = "gradscope-run/1";

    public string Format { get; init; } = CurrentFormat;
    public string Name { get; init; } = "run";

    /// <summary>The command or experiment that made the run (train, demo, reproduce:nielsen-ch5, …).</summary>
    public string Kind { get; init; } = "train";

    /// <summary>Size of the network's input.</summary>
    public int Inputs { get; init; }

    /// <summary>The layers with parameters, in forward order; the last is the output layer.</summary>
    public required IReadOnlyList<LayerDescriptor> Layers { get; init; }

    /// <summary>The cost's name (<c>cross-entropy</c>, <c>log-likelihood</c>, <c>quadratic</c>, …).</summary>
    public string Cost { get; init; } = "";

    /// <summary>What a reader should know about how the run trained: optimiser, η, batch, clipping, rates, probes.</summary>
    public IReadOnlyList<RunSetting> Settings { get; init; } = [];

    /// <summary>The resolved spec that made the run, as its writer serialised it (null when the run was not made from one).</summary>
    public JsonElement? Spec { get; init; }

    public required DataInfo Data { get; init; }
    public string Precision { get; init; } = "float32";
    public ulong Seed { get; init; } = 1;
    public Dictionary<string, string> Versions { get; init; } = RunVersions.Current();
    public DateTimeOffset Start { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? End { get; init; }

    /// <summary>running, complete, failed or interrupted. Only a run that finished says complete.</summary>
    public string Status { get; init; } = RunStatus.Running;
    public string? Failure { get; init; }

    /// <summary>Each time the run was continued from a checkpoint (<c>train --resume</c>); absent for a run never resumed.</summary>
    public IReadOnlyList<Resumption>? Resumptions { get; init; }

    /// <summary>Number of layers with parameters (Nielsen's L).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Depth => Layers.Count;

    /// <summary>Layer l (1-based).</summary>
    public LayerDescriptor Layer(int l) => Layers[l - 1];

    /// <summary>A setting's value, or null when the run did not record it.</summary>
    public string? Setting(string name) => Settings.FirstOrDefault(s => s.Name == name)?.Value;

    /// <summary>Sizes from input to output, e.g. [784, 30, 10].</summary>
    public int[] Sizes() => [Inputs, .. Layers.Select(l => l.Units)];
}

/// <summary>One continuation of a run: when, from which step, and the status it had before (interrupted, running for a killed process, …).</summary>
public sealed record Resumption(DateTimeOffset At, long Step, string PreviousStatus);

public static class RunStatus
{
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
}

/// <summary>Versions recorded in every run.</summary>
public static class RunVersions
{
    public static Dictionary<string, string> Current() => new()
    {
        ["gradscope"] = typeof(RunInfo).Assembly.GetName().Version?.ToString() ?? "0",
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// One line of summary.json: cost and accuracy after an epoch (epoch 0 = at initialisation). A regression run
/// (real-valued targets) has no accuracy (NaN) and carries R² and RMSE instead; they are absent for classification.
/// </summary>
public sealed record EpochSummary(int Epoch, long Step, double TrainCost, double TrainAccuracy, double TestCost, double TestAccuracy, double Seconds)
{
    /// <summary>Coefficient of determination 1 − Σ(a − y)²/Σ(y − ȳ)² on the training sample (regression only).</summary>
    public double? TrainRSquared { get; init; }

    /// <summary>Root-mean-square error √(mean (a − y)²) on the training sample (regression only).</summary>
    public double? TrainRmse { get; init; }

    /// <summary>R² on the test set (regression with a test set only).</summary>
    public double? TestRSquared { get; init; }

    /// <summary>RMSE on the test set (regression with a test set only).</summary>
    public double? TestRmse { get; init; }

    /// <summary>Whether the run fitted real values (R² and RMSE) rather than classes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRegression => TrainRSquared is not null;
}
