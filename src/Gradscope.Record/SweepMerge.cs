using System.Text.Json;

namespace Gradscope.Record;

/// <summary>What a merge found: the sweep.json it wrote and the planned trials that have no finished result yet.</summary>
public sealed record SweepMergeResult(SweepFile File, IReadOnlyList<PlannedTrial> Missing, int Planned);

/// <summary>
/// Builds sweep.json from a sweep folder's plan and whichever trials have finished. Its content depends only on the
/// plan and on which trials finished (in trial order, no timestamps or paths), so a sweep run in one process and the
/// same sweep merged from shards write the same bytes.
/// </summary>
public static class SweepMerge
{
    public static SweepMergeResult Merge(string directory)
    {
        var plan = SweepPlan.Read(directory);
        var runs = new List<SweepEntry>();
        var missing = new List<PlannedTrial>();
        foreach (var trial in plan.Trials)
        {
            if (FinishedStatus(Path.Combine(directory, trial.Dir)) is { } status)
                runs.Add(new SweepEntry(trial.Dir, trial.Params) { Index = trial.Index, Id = trial.Id, Seed = trial.Seed, Status = status });
            else
                missing.Add(trial);
        }
        var file = new SweepFile(plan.Name, plan.Axes, runs)
        {
            Id = plan.Id,
            Trials = plan.Trials.Count,
            Missing = [.. missing.Select(t => t.Dir)],
        };
        file.Write(directory);
        return new SweepMergeResult(file, missing, plan.Trials.Count);
    }

    /// <summary>
    /// complete or failed when the run directory holds a run that finished (a diverged run is a result too); null
    /// when it is absent, unreadable, or still running, interrupted or left by a stopped worker.
    /// </summary>
    public static string? FinishedStatus(string runDirectory)
    {
        string path = Path.Combine(runDirectory, RunFiles.Info);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            string? status = doc.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return status is RunStatus.Complete or RunStatus.Failed ? status : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }
}
