using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gradscope.Record;

/// <summary>One trial of a sweep as planned: its index, the hash of its resolved spec, its run sub-directory, seed and parameters.</summary>
public sealed record PlannedTrial(int Index, string Id, string Dir, ulong Seed, IReadOnlyDictionary<string, string> Params);

/// <summary>
/// sweep-plan.json: every trial of a sweep, written once into the sweep folder by the first worker, read by every
/// other worker (a folder holding another sweep's plan is refused) and by <see cref="SweepMerge"/>. <see cref="Id"/>
/// is the sweep's identity: a hash of the sweep seed and every trial's id, in order.
/// </summary>
public sealed record SweepPlan(string Id, string Name, ulong Seed, IReadOnlyDictionary<string, string[]> Axes, IReadOnlyList<PlannedTrial> Trials)
{
    public const string FileName = "sweep-plan.json";
    public const string CurrentFormat = "gradscope-sweep-plan/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>The identity of the sweep whose trials these are (16 hex digits).</summary>
    public static string IdentityOf(ulong seed, IEnumerable<string> trialIds) =>
        HashHex($"gradscope-sweep/1\nseed {seed}\n{string.Join("\n", trialIds)}", 16);

    /// <summary>The first <paramref name="hexDigits"/> hex digits of the SHA-256 of <paramref name="text"/> (UTF-8).</summary>
    public static string HashHex(string text, int hexDigits) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..hexDigits];

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    public void Write(string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, JsonDefaults.Options));

    /// <summary>Reads a sweep folder's plan; a malformed file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static SweepPlan Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new InvalidDataException($"'{directory}' holds no {FileName}: it is not a sweep folder written by `gradscope sweep --sweep-dir`.");
        try
        {
            var plan = JsonSerializer.Deserialize<SweepPlan>(File.ReadAllText(path), JsonDefaults.Options)
                ?? throw new InvalidDataException("the file is empty");
            if (plan.Format != CurrentFormat) throw new InvalidDataException($"unknown format '{plan.Format}'");
            if (plan.Id is null || plan.Trials is null) throw new InvalidDataException("missing field id or trials");
            foreach (var trial in plan.Trials)
                if (trial?.Dir is null || trial.Id is null) throw new InvalidDataException("every trial needs an id and a dir");
            return plan;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid sweep plan: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid sweep plan: {e.Message}");
        }
    }
}
