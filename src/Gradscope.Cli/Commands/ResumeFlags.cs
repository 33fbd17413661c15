using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gradscope.Experiments;
using Gradscope.IO;

namespace Gradscope.Cli.Commands;

/// <summary>
/// What <c>train --resume</c> does with the other flags. A resumed run continues exactly as recorded (that is what
/// makes it byte-identical to the run left alone), so a flag may only repeat what the run already is: the same
/// command line with <c>--resume</c> added works, and a flag that would change the run is refused with one line naming
/// the difference. Three flags change nothing recorded and may differ: <c>--threads</c> (results do not depend on it),
/// <c>--no-report</c> and <c>--ignore-memory-check</c>.
/// </summary>
internal static class ResumeFlags
{
    /// <summary>train's own options (besides the spec flags) that a resumed run answers for.</summary>
    public sealed record TrainOptions(Option<string> Out, Option<string?> Save, Option<bool> NoSave, Option<string?> InitFrom,
        Option<string?> CheckpointEvery, Option<string?> Keep, Option<string?> Tensorboard);

    /// <summary>The flags that may differ from the run: they change how it runs or what is printed, not what it records.</summary>
    public static IReadOnlyList<string> Free { get; } = ["--resume", "--threads", "--no-report", "--ignore-memory-check"];

    /// <summary>
    /// Refuses a flag that contradicts the run (<see cref="UsageException"/>, one line); returns the run's spec with
    /// what may change applied (--threads).
    /// </summary>
    public static ExperimentSpec Check(ParseResult result, SpecFlags flags, TrainOptions train, string directory,
        ExperimentSpec run, int trainCount, CheckpointHeader header)
    {
        var given = result.CommandResult.Children.OfType<OptionResult>().Where(o => !o.Implicit).Select(o => o.Option.Name).ToHashSet();
        string Prefix(string flag) => $"{flag} with --resume: the run in '{directory}'";
        if (given.Contains(flags.Spec.Name)) throw new UsageException($"{Prefix(flags.Spec.Name)} continues the spec in its {RunFiles.Info}; drop --spec.");
        if (given.Contains(train.InitFrom.Name)) throw new UsageException($"{Prefix(train.InitFrom.Name)} continues from its checkpoint's weights; drop --init-from.");
        if (given.Contains(train.Out.Name)) throw new UsageException($"{Prefix(train.Out.Name)} is continued where it is; drop --out.");
        if (given.Contains(train.Tensorboard.Name))
            throw new UsageException($"{Prefix(train.Tensorboard.Name)} wrote no event files so far; once it is complete, gradscope export <run> --tensorboard <folder> writes them all.");
        Agree(given, train.Save.Name, result.GetValue(train.Save) is { } save ? Path.GetFullPath(save) : null, header.SavePath ?? "(none)", directory, "saves its model to");
        if (given.Contains(train.NoSave.Name) && header.SaveInRunDirectory)
            throw new UsageException($"{Prefix(train.NoSave.Name)} keeps model.gsm in its directory; drop --no-save.");
        Agree(given, train.CheckpointEvery.Name, result.GetValue(train.CheckpointEvery), header.CheckpointEvery ?? "(none)", directory, "writes checkpoints every");
        Agree(given, train.Keep.Name, result.GetValue(train.Keep), header.CheckpointsKept.ToString(CultureInfo.InvariantCulture), directory, "keeps checkpoints:");

        // Every spec flag given, applied to the run's own spec: the run is refused if that changes anything.
        var asGiven = flags.Build(result, run);
        if (!given.Contains(flags.Name.Name)) asGiven = asGiven with { Name = run.Name };
        if (given.Contains(flags.Probes.Name)) asGiven = TrainCommand.Thin(asGiven, trainCount, flags, result);
        var threads = asGiven.Training.Threads;
        var differences = Differences(Node(run with { Training = run.Training with { Threads = threads } }), Node(asGiven), "").ToList();
        if (differences.Count > 0)
            throw new UsageException($"--resume continues the run in '{directory}' as recorded, and the flags given would change it: " +
                $"{string.Join("; ", differences.Take(4))}{(differences.Count > 4 ? "; …" : "")}. Drop them (only {string.Join(", ", Free.Skip(1))} may differ), or start a new run.");
        return run with { Training = run.Training with { Threads = threads } };
    }

    private static void Agree(HashSet<string> given, string flag, string? value, string recorded, string directory, string what)
    {
        if (!given.Contains(flag) || value == recorded) return;
        throw new UsageException($"{flag} {value} with --resume: the run in '{directory}' {what} {recorded}; drop the flag.");
    }

    private static JsonNode? Node(ExperimentSpec spec) => JsonSerializer.SerializeToNode(spec, SpecJson.Options);

    /// <summary>"training.eta is 0.1 in the run, 0.5 given", for each value that differs (JSON paths, depth first).</summary>
    private static IEnumerable<string> Differences(JsonNode? recorded, JsonNode? given, string path)
    {
        if (recorded is JsonObject a && given is JsonObject b)
        {
            foreach (string key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                foreach (var d in Differences(a[key], b[key], path.Length == 0 ? key : $"{path}.{key}")) yield return d;
            yield break;
        }
        if (JsonNode.DeepEquals(recorded, given)) yield break;
        yield return $"{path} is {Text(recorded)} in the run, {Text(given)} given";
    }

    private static string Text(JsonNode? node) => node is null ? "unset" : node.ToJsonString();
}
