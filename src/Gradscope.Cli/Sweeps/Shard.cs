using System.Globalization;

namespace Gradscope.Cli.Sweeps;

/// <summary>
/// Which trials one worker runs: those whose index mod <see cref="Count"/> is <see cref="Index"/>. From
/// <c>--shard i/N</c>, else from the scheduler's own variables: a Kubernetes Indexed Job's
/// <c>JOB_COMPLETION_INDEX</c> (the count is not exposed: <c>--shards</c> or <c>GRADSCOPE_SHARDS</c>), or a Slurm
/// job array's <c>SLURM_ARRAY_TASK_ID</c>, <c>SLURM_ARRAY_TASK_MIN</c>, <c>SLURM_ARRAY_TASK_COUNT</c> (and
/// <c>SLURM_ARRAY_TASK_STEP</c>, since an array may be 1-based or stepped). <see cref="Source"/> says where the values came from.
/// </summary>
public sealed record Shard(int Index, int Count, string Source)
{
    public const string KubernetesIndex = "JOB_COMPLETION_INDEX";
    public const string ShardCount = "GRADSCOPE_SHARDS";
    public const string SlurmId = "SLURM_ARRAY_TASK_ID";
    public const string SlurmMin = "SLURM_ARRAY_TASK_MIN";
    public const string SlurmCount = "SLURM_ARRAY_TASK_COUNT";
    public const string SlurmStep = "SLURM_ARRAY_TASK_STEP";

    public bool Includes(int trialIndex) => trialIndex % Count == Index;

    public override string ToString() => $"shard {Index}/{Count} (from {Source})";

    /// <summary>The shard this worker runs, or null when neither the flag nor a scheduler's variable names one.</summary>
    public static Shard? Resolve(string? flag, int? shardsFlag, Func<string, string?> environment)
    {
        if (shardsFlag is < 1) throw new UsageException($"--shards {shardsFlag}: the shard count must be at least 1.");
        if (flag is not null) return FromFlag(flag);
        if (Variable(environment, KubernetesIndex) is { } kubernetes) return FromKubernetes(kubernetes, shardsFlag, environment);
        if (Variable(environment, SlurmId) is { } slurm) return FromSlurm(slurm, shardsFlag, environment);
        if (shardsFlag is not null) throw new UsageException($"--shards needs {KubernetesIndex} (a Kubernetes Indexed Job); elsewhere give --shard i/N.");
        return null;
    }

    private static Shard FromFlag(string flag)
    {
        var parts = flag.Split('/');
        if (parts.Length != 2 || !TryParse(parts[0], out int index) || !TryParse(parts[1], out int count))
            throw new UsageException($"--shard {flag}: expected i/N with whole numbers, e.g. --shard 0/4.");
        if (count < 1) throw new UsageException($"--shard {flag}: the shard count N must be at least 1.");
        if (index >= count) throw new UsageException($"--shard {flag}: the index must be below the shard count (0 to {count - 1}).");
        return new Shard(index, count, "--shard");
    }

    private static Shard FromKubernetes(string value, int? shardsFlag, Func<string, string?> environment)
    {
        int index = Number(KubernetesIndex, value);
        int count;
        string countSource;
        if (shardsFlag is { } n) (count, countSource) = (n, $"--shards {n}");
        else if (Variable(environment, ShardCount) is { } text)
        {
            count = Number(ShardCount, text);
            if (count < 1) throw new UsageException($"{ShardCount}={text}: the shard count must be at least 1.");
            countSource = $"{ShardCount}={count}";
        }
        else throw new UsageException($"{KubernetesIndex}={value} is set but not the shard count: pass --shards N or set {ShardCount} (the Job's completions).");
        if (index >= count) throw new UsageException($"{KubernetesIndex}={index} is not below the shard count {count} ({countSource}).");
        return new Shard(index, count, $"{KubernetesIndex}={index}, {countSource}");
    }

    private static Shard FromSlurm(string value, int? shardsFlag, Func<string, string?> environment)
    {
        int id = Number(SlurmId, value);
        int min = Number(SlurmMin, Variable(environment, SlurmMin) ?? throw Unset(SlurmMin));
        int count = Number(SlurmCount, Variable(environment, SlurmCount) ?? throw Unset(SlurmCount));
        int step = Variable(environment, SlurmStep) is { } s ? Number(SlurmStep, s) : 1;
        if (count < 1) throw new UsageException($"{SlurmCount}={count}: the array must have at least one task.");
        if (step < 1) throw new UsageException($"{SlurmStep}={step}: the step must be at least 1.");
        if (id < min || (id - min) % step != 0)
            throw new UsageException($"{SlurmId}={id} is not on the array {min}, {min + step}, … ({SlurmMin}={min}, {SlurmStep}={step}).");
        int index = (id - min) / step;
        if (index >= count) throw new UsageException($"{SlurmId}={id} is task {index} of an array of {count} ({SlurmCount}={count}).");
        if (shardsFlag is { } n && n != count) throw new UsageException($"--shards {n} disagrees with {SlurmCount}={count}.");
        string stepText = step == 1 ? "" : $", {SlurmStep}={step}";
        return new Shard(index, count, $"{SlurmId}={id} − {SlurmMin}={min}{stepText}, {SlurmCount}={count}");
    }

    private static UsageException Unset(string name) => new($"{SlurmId} is set but {name} is not; is this a Slurm job array?");

    private static string? Variable(Func<string, string?> environment, string name) =>
        environment(name) is { } v ? v.Trim() : null;

    private static int Number(string name, string text) =>
        TryParse(text, out int value) ? value : throw new UsageException($"{name}='{text}' is not a whole number.");

    private static bool TryParse(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
