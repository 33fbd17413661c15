using System.CommandLine;
using System.Globalization;
using Gradscope.Cli.Sweeps;
using Gradscope.Cli.Terminal;
using Gradscope.Experiments;
using Gradscope.Probes;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope sweep</c>: a grid over comma-separated values of any spec flag (<c>--layers</c> takes
/// ';'-separated lists, since its own values contain commas), or <c>--sample n</c> configurations drawn from it or
/// from ranges, one deterministic single-threaded run per trial, in parallel on the machine's cores, into a sweep
/// folder with sweep-plan.json and sweep.json. With <c>--sweep-dir</c> the folder is given and shared: workers
/// started with <c>--shard i/N</c> (or a scheduler's index variables, see <see cref="Shard"/>) each run their share
/// and skip finished trials; <c>sweep merge</c> gathers them (docs/cluster.md).
/// </summary>
public static class SweepCommand
{
    /// <summary>A sweep's default run: short, so grids of dozens of configurations finish in minutes.</summary>
    public static ExperimentSpec Defaults { get; } = TrainCommand.Defaults with
    {
        Training = TrainCommand.Defaults.Training with { Epochs = 1, Threads = 1 },
        Data = new DataSpec { Train = 10_000, Test = 2_000 },
        Probes = ProbeOptions.FromPreset("minimal") with { Reference = "log+every:500" },
    };

    public static Command Create()
    {
        var flags = new SpecFlags(Defaults, sweep: true);
        var output = new Option<string>("--out") { Description = "Parent folder of a new, timestamped sweep folder (without --sweep-dir).", DefaultValueFactory = _ => "runs" };
        var sweepDir = new Option<string?>("--sweep-dir") { Description = "The sweep folder itself, shared by every shard; rerunning skips finished trials. [default: a new folder in --out]" };
        var shard = new Option<string?>("--shard") { Description = "Run only trials with index mod N = i (i/N). [default: from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID, else every trial]" };
        var shards = new Option<int?>("--shards") { Description = "Shard count with JOB_COMPLETION_INDEX (Kubernetes does not expose it). [default: GRADSCOPE_SHARDS]" };
        var sample = new Option<int?>("--sample") { Description = "Random search: draw n configurations from the grid, or from ranges such as --eta log:1e-4..1, lin:a..b, int:a..b. [default: the whole grid]" };
        var parallel = new Option<int>("--parallel") { Description = "Trials run at once (one per core unless given).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html." };
        var command = new Command("sweep", "Run a grid of configurations: every spec flag below takes a comma-separated list of values, " +
            "e.g. --depth 1,2,3,4 --activation sigmoid,tanh,relu; --layers and --layer-rates take ';'-separated lists, since each value " +
            "has commas (--layers '784,30,10;784,30,30,10'). Summary table and heatmaps. Shards: --sweep-dir with --shard i/N (docs/cluster.md).");
        flags.AddTo(command);
        foreach (var option in new Option[] { output, sweepDir, shard, shards, sample, parallel, noReport }) command.Options.Add(option);
        command.Subcommands.Add(MergeCommand());
        command.SetAction(result =>
        {
            var axes = Axes(flags, result);
            int workers = result.GetValue(parallel);
            if (workers < 1) throw new UsageException($"--parallel: {workers} must be at least 1.");
            var mine = Shard.Resolve(result.GetValue(shard), result.GetValue(shards), Environment.GetEnvironmentVariable);
            string? shared = result.GetValue(sweepDir);
            if (mine is not null && shared is null)
                throw new UsageException($"{mine} needs --sweep-dir: every shard must write into the same shared sweep folder.");

            bool seedIsSwept = axes.Any(a => a.Option == flags.Seed);
            ulong sweepSeed = SweepSeed(flags, result, seedIsSwept);
            var trials = TrialPlanner.Plan(axes, result.GetValue(sample), sweepSeed, seedIsSwept, config =>
            {
                var overrides = config.ToDictionary(p => p.Axis.Option, p => p.Value);
                var spec = flags.Build(result, flags.DefaultsFor(result, Defaults), overrides);
                spec = spec with { Training = spec.Training with { Threads = 1 } };
                TrainCommand.Validate(spec);
                flags.CheckMemory(result, spec, workers);
                int trainCount = DataLoading.LoadFor(spec).Train.Count;
                spec = flags.WithWeightDecay(result, spec, trainCount, overrides);
                TrainCommand.Validate(spec);
                return TrainCommand.Thin(spec, trainCount, flags, result);
            });
            var planned = trials.Select(t => t.ToPlanned()).ToList();
            var plan = new SweepPlan(SweepPlan.IdentityOf(sweepSeed, planned.Select(t => t.Id)),
                result.GetValue(flags.Name) ?? string.Join(" × ", axes.Select(a => a.Key)), sweepSeed,
                axes.ToDictionary(a => a.Key, a => a.Recorded), planned);

            string root = shared ?? RunDirectories.NewRunDirectory(result.GetValue(output)!, "sweep");
            var folder = SweepFolder.Open(root, plan);
            var share = trials.Where(t => mine?.Includes(t.Index) ?? true).ToList();
            var redone = folder.ClearLeftovers(share);
            var todo = share.Where(t => !folder.IsFinished(t)).ToList();
            string over = string.Join(" × ", axes.Select(a => a.Describe()));
            Output.Line($"sweep {plan.Id}: {Output.Count(trials.Count, "trial")} over {over}, sweep seed {sweepSeed} → {root}");
            if (mine is not null) Output.Line($"{mine}: {share.Count} of {trials.Count} trials ({Indices(share)})");
            foreach (var trial in redone) Output.Line($"redoing trial {trial.Index} ({trial.Dir}): a stopped worker left it unfinished");
            Output.Line($"{share.Count - todo.Count} already finished, {todo.Count} to run, {Math.Min(workers, Math.Max(1, todo.Count))} at a time");

            var outcomes = new RunOutcome?[todo.Count];
            bool interrupted = false;
            var reporter = new ProgressReporter();
            Cli.WithCancellation(token => reporter.Run(() =>
            {
                Parallel.For(0, todo.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
                {
                    if (token.IsCancellationRequested) return;
                    var trial = todo[i];
                    var data = DataLoading.LoadFor(trial.Spec);
                    outcomes[i] = folder.Run(trial, dir => ExperimentRunner.Run(trial.Spec, data.Train, data.Test, dir, "sweep", reporter, token));
                });
                interrupted = token.IsCancellationRequested;
                return 0;
            }));

            if (mine is null)
            {
                folder.TidyPartial();
                AnsiConsole.Write(Summary(folder, trials, axes.Select(a => a.Key).ToList()));
                MergeReport.MergeAndPrint(root);
                if (!result.GetValue(noReport)) Reporting.TryWrite(root);
                Output.Line($"sweep folder: {root}");
            }
            else
            {
                int finished = share.Count(folder.IsFinished);
                Output.Line($"{mine}: {finished} of {share.Count} trials finished; once every shard is done: gradscope sweep merge {root}");
            }
            if (interrupted)
            {
                int finished = trials.Count(folder.IsFinished);
                Output.Notice($"sweep interrupted: {finished} of {Output.Count(trials.Count, "trial")} finished; {root} keeps them, " +
                    $"and the same command with --sweep-dir {root} runs the rest.");
                return Cli.InterruptedExitCode;
            }
            return outcomes.All(o => o?.Status == RunStatus.Complete) ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }

    /// <summary><c>gradscope sweep merge &lt;dir&gt;</c>: sweep.json and report.html from whatever trials have finished.</summary>
    private static Command MergeCommand()
    {
        var dir = new Argument<string>("dir") { Description = "A sweep folder written with --sweep-dir (or by a plain sweep)." };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html." };
        var command = new Command("merge", "Build sweep.json and the sweep report from the finished trials of a sweep folder; says how many are missing and which.");
        command.Arguments.Add(dir);
        command.Options.Add(noReport);
        command.SetAction(result =>
        {
            string root = result.GetValue(dir)!;
            if (!Directory.Exists(root)) throw new UsageException($"sweep folder '{root}' does not exist.");
            MergeReport.MergeAndPrint(root);
            if (!result.GetValue(noReport)) Reporting.TryWrite(root);
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<SweepAxis> Axes(SpecFlags flags, ParseResult result)
    {
        var axes = new List<SweepAxis>();
        foreach (var option in flags.Sweepable)
        {
            string? value = result.GetValue(option);
            if (value is null) continue;
            if (ValueRange.IsRange(value))
            {
                axes.Add(new SweepAxis(option, [], ValueRange.Parse(option.Name, value)));
                continue;
            }
            char separator = option == flags.Layers || option == flags.LayerRates ? ';' : ',';
            var values = value.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
            if (values.Length == 0) throw new UsageException($"{option.Name}: no values in '{value}'.");
            if (values.FirstOrDefault(ValueRange.IsRange) is { } range) throw new UsageException($"{option.Name}: the range '{range}' must be the flag's only value.");
            if (values.Length > 1) axes.Add(new SweepAxis(option, values));
        }
        if (axes.Count == 0) throw new UsageException("sweep needs at least one flag with several comma-separated values or a range, e.g. --depth 1,2,3 --activation sigmoid,relu.");
        return axes;
    }

    /// <summary>The sweep seed: --seed when it is one value, else the spec file's seed or the default's.</summary>
    private static ulong SweepSeed(SpecFlags flags, ParseResult result, bool seedIsSwept)
    {
        if (!seedIsSwept && result.GetValue(flags.Seed) is { } text)
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) ? seed
                : throw new UsageException($"--seed: '{text}' is not a seed (a whole number from 0).");
        return result.GetValue(flags.Spec) is { } path ? ExperimentSpec.Load(path).Seed : Defaults.Seed;
    }

    private static string Indices(List<SweepTrial> share) =>
        share.Count == 0 ? "none" : "indices " + string.Join(", ", share.Take(4).Select(t => t.Index)) + (share.Count > 4 ? ", …" : "");

    private static FittedTable Summary(SweepFolder folder, List<SweepTrial> trials, List<string> keys)
    {
        var table = new FittedTable($"sweep summary: speed of learning, {SpeedRatio.Name} layer, and final accuracy");
        foreach (string k in keys) table.AddColumn(k, wrap: true);
        table.AddColumn($"{SpeedRatio.Name} (init)", 2).AddColumn($"{SpeedRatio.Name} (end)").AddColumn("final accuracy").AddColumn("status", 1);
        foreach (var trial in trials)
        {
            var values = trial.Params.Select(p => p.Value).ToList();
            if (!folder.IsFinished(trial))
            {
                table.AddRow([.. values, "–", "–", "–", "not run"]);
                continue;
            }
            var run = RunLoading.Load(folder.RunDirectory(trial));
            var view = new RunView(run);
            table.AddRow([.. values, view.Ratio(atEnd: false).ToString(), view.Ratio(atEnd: true).ToString(),
                RunView.ScoreCell(view.FinalScore, view.IsRegression), run.Info.Status]);
        }
        return table;
    }
}
