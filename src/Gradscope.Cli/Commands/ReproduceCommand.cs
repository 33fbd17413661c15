using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gradscope.Cli.Terminal;
using Gradscope.Experiments;
using Gradscope.Experiments.Reproductions;
using Gradscope.IO;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope reproduce &lt;name&gt;</c> and <c>reproduce --list</c>: the classic results in one command.</summary>
public static class ReproduceCommand
{
    public static Command Create()
    {
        var nameArgument = new Argument<string?>("name") { Description = "Which experiment (see --list).", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "List the built-in experiments." };
        var data = new Option<string>("--data") { Description = "digits (embedded), mnist, or a folder of IDX files.", DefaultValueFactory = _ => "digits" };
        var seed = new Option<ulong>("--seed") { Description = "Seed for weights and shuffles.", DefaultValueFactory = _ => 1 };
        var budget = new Option<double>("--budget") { Description = "Fraction of the published budget (epochs, examples, trials); 1 = full.", DefaultValueFactory = _ => 1.0 };
        var output = new Option<string>("--out") { Description = "Parent folder for the experiment's run directories and tables.", DefaultValueFactory = _ => "runs" };
        var command = new Command("reproduce", "Reproduce a classic vanishing/exploding-gradient result, measured beside the published numbers.");
        command.Arguments.Add(nameArgument);
        command.Options.Add(list);
        command.Options.Add(data);
        command.Options.Add(seed);
        command.Options.Add(budget);
        command.Options.Add(output);
        command.SetAction(result =>
        {
            if (result.GetValue(list) || result.GetValue(nameArgument) is null)
            {
                var table = new FittedTable("").AddColumn("name").AddColumn("what it reproduces", wrap: true);
                foreach (var r in Registry) table.AddRow(r.Name, r.Description);
                AnsiConsole.Write(table);
                if (!result.GetValue(list)) throw new UsageException("name an experiment: gradscope reproduce <name> (see the list above).");
                return ExitCodes.Success;
            }
            string name = result.GetValue(nameArgument)!;
            var experiment = Registry.FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"unknown experiment '{name}'. Valid: {string.Join(", ", Registry.Select(r => r.Name))}.");
            double fraction = result.GetValue(budget);
            if (!double.IsFinite(fraction) || fraction <= 0 || fraction > 10)
                throw new UsageException($"--budget: {fraction} must be in (0, 10].");
            string source = result.GetValue(data)!;
            string root = RunDirectories.NewRunDirectory(result.GetValue(output)!, $"reproduce-{experiment.Name}");
            var context = new ReproContext(
                train => DataLoading.Load(new DataSpec { Source = source, Train = Math.Max(train, 1000), Test = 10_000 }),
                result.GetValue(seed), fraction, root, new Progress<string>(Output.Line));
            Output.Heading($"reproduce {experiment.Name}: {experiment.Description}");
            var outcome = experiment.Run(context);
            Print(outcome);
            Directory.CreateDirectory(root);
            AtomicFile.WriteAllText(Path.Combine(root, "reproduction.json"), JsonSerializer.Serialize(outcome, JsonDefaults.Options));
            AtomicFile.WriteAllText(Path.Combine(root, "reproduction.html"), ReproPage.Html(outcome));
            foreach (string dir in outcome.RunDirectories) Reporting.TryWrite(dir);
            Output.Line($"tables and runs: {root}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Every reproduction the CLI offers.</summary>
    public static IReadOnlyList<Reproduction> Registry => Reproduction.All;

    public static void Print(ReproResult result)
    {
        Output.Line($"source: {result.Source}");
        foreach (var t in result.Tables)
        {
            // On a narrow terminal the rightmost columns go first; the first (what a row is) stays.
            var table = new FittedTable(t.Title);
            for (int i = 0; i < t.Columns.Length; i++) table.AddColumn(t.Columns[i], i == 0 ? FittedTable.Always : t.Columns.Length - i, wrap: true);
            foreach (var row in t.Rows) table.AddRow([.. row]);
            AnsiConsole.Write(table);
            if (t.Note is not null) Output.Line("  " + t.Note);
        }
        Output.Heading("findings");
        foreach (string f in result.Findings) Output.Line("• " + f);
    }

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
