using System.CommandLine;
using System.Text.Json;
using Gradscope.Cli.Terminal;
using Gradscope.Experiments;
using Gradscope.IO;
using Gradscope.Probes;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope sweep</c>: a grid over comma-separated values of any spec flag (<c>--layers</c> takes
/// ';'-separated lists, since its own values contain commas), run in parallel on the machine's cores, one
/// deterministic single-threaded run per configuration, into a sweep folder with sweep.json.
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
        var flags = new SpecFlags();
        var output = new Option<string>("--out") { Description = "Parent folder of the sweep folder.", DefaultValueFactory = _ => "runs" };
        var parallel = new Option<int>("--parallel") { Description = "Configurations run at once (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html." };
        var command = new Command("sweep", "Run a grid of configurations, e.g. --depth 1,2,3,4 --activation sigmoid,tanh,relu; summary table and heatmaps.");
        flags.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(parallel);
        command.Options.Add(noReport);
        command.SetAction(result =>
        {
            var axes = new List<(Option<string?> Option, string[] Values)>();
            foreach (var option in flags.Sweepable)
            {
                string? value = result.GetValue(option);
                if (value is null) continue;
                char separator = option == flags.Layers || option == flags.LayerRates ? ';' : ',';
                var values = value.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
                if (values.Length == 0) throw new UsageException($"{option.Name}: no values in '{value}'.");
                if (values.Length > 1) axes.Add((option, values));
            }
            if (axes.Count == 0) throw new UsageException("sweep needs at least one flag with several comma-separated values, e.g. --depth 1,2,3 --activation sigmoid,relu.");
            var configs = Cartesian(axes);
            if (configs.Count > 1000) throw new UsageException($"the grid has {configs.Count} configurations; at most 1000.");
            int workers = result.GetValue(parallel);
            if (workers < 1) throw new UsageException($"--parallel: {workers} must be at least 1.");

            var specs = configs.Select(c =>
            {
                var spec = flags.Build(result, flags.DefaultsFor(result, Defaults), c.ToDictionary(p => p.Option, p => p.Value));
                spec = spec with { Name = ConfigName(c), Training = spec.Training with { Threads = 1 } };
                TrainCommand.Validate(spec);
                return TrainCommand.Thin(spec, DataLoading.LoadFor(spec).Train.Count, flags, result);
            }).ToList();
            var clash = specs.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
            if (clash is not null) throw new UsageException($"two configurations would share the run folder '{clash.Key}'; make the swept values distinct.");
            string root = RunDirectories.NewRunDirectory(result.GetValue(output)!, "sweep");
            Directory.CreateDirectory(root);
            var entries = specs.Select((s, i) => new SweepEntry(s.Name, ParamsOf(configs[i]))).ToList();
            new SweepFile(Path.GetFileName(root), axes.ToDictionary(a => Key(a.Option), a => a.Values), entries).Write(root);
            Output.Line($"sweep of {specs.Count} configurations over {string.Join(" × ", axes.Select(a => $"{Key(a.Option)} ({a.Values.Length})"))}, {workers} at a time → {root}");

            var outcomes = new RunOutcome[specs.Count];
            bool interrupted = false;
            var reporter = new ProgressReporter();
            Cli.WithCancellation(token => reporter.Run(() =>
            {
                Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
                {
                    if (token.IsCancellationRequested) return;
                    var data = DataLoading.LoadFor(specs[i]);
                    outcomes[i] = ExperimentRunner.Run(specs[i], data.Train, data.Test, Path.Combine(root, specs[i].Name), "sweep", reporter, token);
                });
                interrupted = token.IsCancellationRequested;
                return 0;
            }));
            AnsiConsole.Write(Summary(root, specs, outcomes, axes.Select(a => Key(a.Option)).ToList()));
            if (!result.GetValue(noReport)) Reporting.TryWrite(root);
            Output.Line($"sweep folder: {root}");
            if (interrupted) return ExitCodes.Interrupted;
            return outcomes.All(o => o?.Status == RunStatus.Complete) ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }

    private static string Key(Option option) => option.Name.TrimStart('-');

    private static List<List<(Option<string?> Option, string Value)>> Cartesian(List<(Option<string?> Option, string[] Values)> axes)
    {
        var configs = new List<List<(Option<string?>, string)>> { new() };
        foreach (var (option, values) in axes)
            configs = configs.SelectMany(c => values.Select(v => new List<(Option<string?>, string)>(c) { (option, v) })).ToList();
        return configs;
    }

    private static string ConfigName(List<(Option<string?> Option, string Value)> config) =>
        string.Join(",", config.Select(p => $"{Key(p.Option)}={p.Value.Replace(',', '-').Replace(':', '_')}"));

    private static Dictionary<string, string> ParamsOf(List<(Option<string?> Option, string Value)> config) =>
        config.ToDictionary(p => Key(p.Option), p => p.Value);

    private static Table Summary(string root, List<ExperimentSpec> specs, RunOutcome[] outcomes, List<string> keys)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"sweep summary: speed of learning, {SpeedRatio.Name} layer, and final accuracy");
        foreach (string k in keys) table.AddColumn(k);
        table.AddColumns($"{SpeedRatio.Name} (init)", $"{SpeedRatio.Name} (end)", "final accuracy", "status");
        for (int i = 0; i < specs.Count; i++)
        {
            var values = keys.Select(k => specs[i].Name.Split(',').First(p => p.StartsWith(k + "=", StringComparison.Ordinal))[(k.Length + 1)..]).ToList();
            if (outcomes[i] is null)
            {
                table.AddRow([.. values, "–", "–", "–", "not run"]);
                continue;
            }
            var run = RunRecord.Load(Path.Combine(root, specs[i].Name));
            var view = new RunView(run);
            table.AddRow([.. values, view.Ratio(atEnd: false).ToString(), view.Ratio(atEnd: true).ToString(),
                Output.Percent(view.FinalAccuracy), run.Info.Status]);
        }
        return table;
    }
}
