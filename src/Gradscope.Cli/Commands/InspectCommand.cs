using System.CommandLine;
using Gradscope.Cli.Terminal;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope inspect &lt;run&gt;</c>: the per-layer and per-epoch tables of a run directory.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var runArgument = new Argument<string>("run") { Description = "A run directory." };
        var command = new Command("inspect", "Print the per-layer tables of a run.");
        command.Arguments.Add(runArgument);
        command.SetAction(result =>
        {
            var run = RunLoading.Load(result.GetValue(runArgument)!);
            var info = run.Info;
            Output.Heading($"{info.Name} ({info.Kind})");
            Output.Line($"status: {info.Status}{(info.Failure is null ? "" : " — " + info.Failure)}");
            Output.Line($"network: [{string.Join(",", info.Sizes())}] {string.Join(" → ", info.Layers.Select(l => l.Activation ?? "?").Distinct())}, cost {info.Cost}"
                + (info.Layers.Any(l => l.Normalization is not null) ? $", {info.Layers.First(l => l.Normalization is not null).Normalization} normalisation" : "")
                + (info.Layers.Any(l => l.Residual) ? ", residual blocks" : ""));
            Output.Line("training: " + string.Join(" ", info.Settings.Where(s => s.Name is not "probes" and not "cost").Select(s => $"{s.Name}={s.Value}"))
                + $" seed={info.Seed} {info.Precision}");
            Output.Line($"data: {info.Data.Source} ({info.Data.Train} train, {info.Data.Test} test, reference {info.Data.Reference}); probes: {info.Setting("probes") ?? "–"}");
            AnsiConsole.Write(RunTables.Layers(run));
            AnsiConsole.Write(RunTables.Epochs(run));
            return info.Status == RunStatus.Complete ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }
}
