using System.CommandLine;
using System.Text.Json;
using Gradscope.Cli.Commands;
using Gradscope.Cli.Terminal;
using Gradscope.Data;

namespace Gradscope.Cli;

/// <summary>The gradscope command: subcommands, and the one place errors become one line and an exit code.</summary>
public static class Cli
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Gradscope: see, measure and fix vanishing and exploding gradients in deep networks.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(DiagnoseCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        // Redirected output has no terminal width; tables of ten columns need more than Spectre's default 80.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;
        try
        {
            var result = CreateRoot().Parse(args);
            if (result.Errors.Count > 0)
            {
                Output.Error(result.Errors[0].Message);
                return ExitCodes.BadInput;
            }
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(IsBadInput) is { } inner)
        {
            // Parallel runs (sweep, demo, verification) wrap the first bad input they met.
            Output.Error(Message(inner));
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Output.Error(Message(e));
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Runs work with a token cancelled by Ctrl+C, so a run can stop cleanly and say it was interrupted.</summary>
    public static T WithCancellation<T>(Func<CancellationToken, T> work)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += handler;
        try { return work(cts.Token); }
        finally { Console.CancelKeyPress -= handler; }
    }

    private static string Message(Exception e) =>
        e is ArgumentException { ParamName: { } param } ? e.Message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal) : e.Message;

    private static bool IsBadInput(Exception e) =>
        e is UsageException or ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException
            or JsonException or DataFormatException or DataUnavailableException or FormatException;
}
