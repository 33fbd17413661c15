using System.CommandLine;
using System.Runtime.InteropServices;
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
        // A background thread's exception would abort the process with a stack trace; it is one line and exit 70 instead.
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            var root = CreateRoot();
            var result = root.Parse(args);
            if (result.Errors.Count > 0)
            {
                // With no command at all, the commands are what the user needs: printed as the help prints them.
                if (args.Length == 0) root.Parse("--help").Invoke();
                Output.Error(ParseErrors.Describe(result));
                return ExitCodes.BadInput;
            }
            // After "--" every token is a value, even one that looks like a flag.
            if (!args.Contains("--") && ParseErrors.FlagTakenAsArgument(result) is { } unknown)
            {
                Output.Error(unknown);
                return ExitCodes.BadInput;
            }
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return ExitCodeFor(e, print: true);
        }
        finally
        {
            AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        }
    }

    /// <summary>
    /// The last resort: any exception becomes one line on stderr and a documented exit code: 2 for bad input (an
    /// unreadable file, a value out of range, a run that would not fit in memory), 130/143 for a stop asked by a
    /// signal, 70 for anything else (a bug: the line says so).
    /// </summary>
    public static int ExitCodeFor(Exception e, bool print)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Parallel runs (sweep, demo, verification) wrap the first bad input they met.
        if (e is AggregateException aggregate)
        {
            var inner = aggregate.Flatten().InnerExceptions;
            e = inner.FirstOrDefault(IsBadInput) ?? inner.FirstOrDefault(x => x is not OperationCanceledException) ?? inner.FirstOrDefault() ?? e;
        }
        if (IsBadInput(e))
        {
            if (print) Output.Error(Message(e));
            return ExitCodes.BadInput;
        }
        if (e is OperationCanceledException)
        {
            if (print) Output.Error("interrupted");
            return InterruptedExitCode;
        }
        if (print)
        {
            Output.Error(e is OutOfMemoryException
                ? $"out of memory: {e.Message} (pass smaller sizes; the run directory, if any, says where it stopped)"
                : $"internal error ({e.GetType().Name}: {e.Message}); please report it");
        }
        return ExitCodes.Internal;
    }

    private static void OnUnhandled(object sender, UnhandledExceptionEventArgs args)
    {
        int code = args.ExceptionObject is Exception e ? ExitCodeFor(e, print: true) : ExitCodes.Internal;
        Console.Error.Flush();
        Environment.Exit(code);
    }

    private static readonly Lock Gate = new();
    private static CancellationTokenSource? _work;
    private static PosixSignal? _signal;

    /// <summary>The signal that asked the current work to stop (SIGINT from Ctrl+C, SIGTERM from timeout, Kubernetes, Slurm), if any.</summary>
    public static PosixSignal? Signal
    {
        get { lock (Gate) return _signal; }
    }

    /// <summary>130 after Ctrl+C (SIGINT), 143 after SIGTERM: 128 + the signal's number, as shells report them.</summary>
    public static int InterruptedExitCode => Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    /// <summary>
    /// The first SIGINT or SIGTERM while work is running cancels it, so the run stops after its current step, says
    /// interrupted and writes its report; a second one, or one with no work running, ends the process as usual.
    /// </summary>
    private static void OnSignal(PosixSignalContext context)
    {
        lock (Gate)
        {
            if (_work is null || _work.IsCancellationRequested) return;
            context.Cancel = true;
            _signal = context.Signal;
            _work.Cancel();
        }
        Console.Error.WriteLine($"gradscope: {(context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "interrupt")}: stopping after the current step and writing what was done (again to stop at once)");
    }

    /// <summary>
    /// Runs work with a token cancelled by the first Ctrl+C or SIGTERM, so a run can stop cleanly and say it was
    /// interrupted. The work should include what follows training (tables, report): a signal then lets it finish.
    /// </summary>
    public static T WithCancellation<T>(Func<CancellationToken, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var cts = new CancellationTokenSource();
        lock (Gate) _work = cts;
        try { return work(cts.Token); }
        finally
        {
            lock (Gate) _work = null;
        }
    }

    private static string Message(Exception e) =>
        e is ArgumentException { ParamName: { } param } ? e.Message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal) : e.Message;

    private static bool IsBadInput(Exception e) =>
        e is UsageException or ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException
            or JsonException or DataFormatException or DataUnavailableException or FormatException or InsufficientMemoryException;
}
