using Gradscope.Experiments;

namespace Gradscope.Cli.Sweeps;

/// <summary>
/// A sweep folder shared by every worker: sweep-plan.json (the sweep's identity and trials), one run directory per
/// finished trial, and <c>.partial/</c> where trials run. A trial runs in <c>.partial/&lt;id&gt;.&lt;pid&gt;.&lt;random&gt;</c>
/// and is renamed to its run directory only once it has finished, so a run directory always holds a finished
/// result: a retried or preempted worker skips it, and a trial a killed worker left running is found in
/// <c>.partial/</c> and redone.
/// </summary>
public sealed class SweepFolder
{
    public const string PartialFolder = ".partial";

    private SweepFolder(string root) => Root = root;

    public string Root { get; }

    /// <summary>
    /// Opens <paramref name="root"/> for <paramref name="plan"/>: writes the plan into an empty or new folder, accepts
    /// a folder holding the same sweep's plan, and refuses (as bad input, before writing anything) one holding
    /// another sweep's, or a run or sweep without a plan.
    /// </summary>
    public static SweepFolder Open(string root, SweepPlan plan)
    {
        if (File.Exists(root)) throw new UsageException($"--sweep-dir '{root}' is a file, not a folder.");
        if (SweepPlan.Exists(root))
        {
            CheckSame(root, SweepPlan.Read(root), plan);
            return new SweepFolder(root);
        }
        if (File.Exists(Path.Combine(root, SweepFile.FileName)) || File.Exists(Path.Combine(root, RunFiles.Info)))
            throw new UsageException($"'{root}' already holds a run or a sweep without a {SweepPlan.FileName}; give an empty or new --sweep-dir.");
        RunDirectories.EnsureWritable(root);
        plan.Write(root);
        // Two workers of different sweeps starting together on an empty folder: the plan that landed decides.
        CheckSame(root, SweepPlan.Read(root), plan);
        return new SweepFolder(root);
    }

    public string RunDirectory(SweepTrial trial) => Path.Combine(Root, trial.Dir);

    public bool IsFinished(SweepTrial trial) => SweepMerge.FinishedStatus(RunDirectory(trial)) is not null;

    /// <summary>
    /// Removes what stopped workers left of these trials (a partial run, or a run directory that does not hold a
    /// finished run) and returns the trials affected. Call it only for the trials of this worker's own shard: both
    /// schedulers run one worker per index at a time, so what is there is no live worker's.
    /// </summary>
    public List<SweepTrial> ClearLeftovers(IEnumerable<SweepTrial> trials)
    {
        string partial = Path.Combine(Root, PartialFolder);
        var cleared = new List<SweepTrial>();
        foreach (var trial in trials)
        {
            bool found = false;
            if (Directory.Exists(partial))
                foreach (string dir in Directory.GetDirectories(partial, trial.Id + ".*"))
                {
                    Directory.Delete(dir, recursive: true);
                    found = true;
                }
            if (Directory.Exists(RunDirectory(trial)) && !IsFinished(trial))
            {
                Directory.Delete(RunDirectory(trial), recursive: true);
                found = true;
            }
            if (found) cleared.Add(trial);
        }
        return cleared;
    }

    /// <summary>
    /// Runs a trial in a partial folder and renames it into place when it finished (complete, or stopped by a
    /// non-finite value: a result too). Interrupted runs stay partial and are redone by the next worker.
    /// </summary>
    public RunOutcome Run(SweepTrial trial, Func<string, RunOutcome> run)
    {
        string partial = Path.Combine(Root, PartialFolder, $"{trial.Id}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        var outcome = run(partial);
        if (outcome.Status is not (RunStatus.Complete or RunStatus.Failed)) return outcome;
        string final = RunDirectory(trial);
        try
        {
            Directory.Move(partial, final);
        }
        catch (IOException) when (IsFinished(trial))
        {
            // Another worker finished the same trial first; its result is the same run.
            Directory.Delete(partial, recursive: true);
        }
        return outcome with { Directory = final };
    }

    /// <summary>Removes .partial/ when nothing is left in it; only for a worker that knows no other is running.</summary>
    public void TidyPartial()
    {
        string partial = Path.Combine(Root, PartialFolder);
        if (Directory.Exists(partial) && !Directory.EnumerateFileSystemEntries(partial).Any()) Directory.Delete(partial);
    }

    private static void CheckSame(string root, SweepPlan existing, SweepPlan plan)
    {
        if (existing.Id != plan.Id)
            throw new UsageException($"'{root}' holds a different sweep ({existing.Trials.Count} trials, id {existing.Id}; this one: {plan.Trials.Count} trials, id {plan.Id}); give the same flags, or another --sweep-dir.");
    }
}
