using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Runs;
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
            var run = RunRecord.Load(result.GetValue(runArgument)!);
            var info = run.Info;
            Output.Heading($"{info.Name} ({info.Kind})");
            Output.Line($"status: {info.Status}{(info.Failure is null ? "" : " — " + info.Failure)}");
            Output.Line($"network: [{string.Join(",", info.Network.Layers)}] {info.Network.Activation}, cost {info.Network.Cost}, init {info.Network.Init}, bias {info.Network.BiasInit}");
            Output.Line($"training: η={info.Training.Eta} batch={info.Training.BatchSize} epochs={info.Training.Epochs} λ={info.Training.Lambda} seed={info.Seed} {info.Precision}");
            Output.Line($"data: {info.Data.Source} ({info.Data.Train} train, {info.Data.Test} test, reference {info.Data.Reference}); probes: {info.Probes.Preset}");
            AnsiConsole.Write(RunTables.Layers(run));
            AnsiConsole.Write(RunTables.Epochs(run));
            return info.Status == RunStatus.Complete ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }
}
