using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Runs;

/// <summary>The data a run trained on: its source and the sizes used.</summary>
public sealed record DataInfo(string Source, int Train, int Test, int Reference);

/// <summary>run.json: everything needed to know, and repeat, what a run did (docs/run-record.md).</summary>
public sealed record RunInfo
{
    public const string CurrentFormat = "gradscope-run/1";

    public string Format { get; init; } = CurrentFormat;
    public string Name { get; init; } = "run";

    /// <summary>The command or experiment that made the run (train, demo, reproduce:nielsen-ch5, …).</summary>
    public string Kind { get; init; } = "train";
    public required NetworkSpec Network { get; init; }
    public required TrainingOptions Training { get; init; }
    public required ProbeOptions Probes { get; init; }
    public required DataInfo Data { get; init; }
    public string Precision { get; init; } = "float32";
    public ulong Seed { get; init; } = 1;
    public Dictionary<string, string> Versions { get; init; } = RunVersions.Current();
    public DateTimeOffset Start { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? End { get; init; }

    /// <summary>running, complete, failed or interrupted. Only a run that finished says complete.</summary>
    public string Status { get; init; } = RunStatus.Running;
    public string? Failure { get; init; }
}

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

/// <summary>One line of summary.json: cost and accuracy after an epoch (epoch 0 = at initialisation).</summary>
public sealed record EpochSummary(int Epoch, long Step, double TrainCost, double TrainAccuracy, double TestCost, double TestAccuracy, double Seconds);
