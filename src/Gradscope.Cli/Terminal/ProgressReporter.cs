using System.Globalization;
using Gradscope.Experiments;
using Spectre.Console;

namespace Gradscope.Cli.Terminal;

/// <summary>
/// Shows epochs as they finish: a Spectre progress bar per run on a terminal, plain lines otherwise (Spectre's
/// progress prints nothing when stdout is redirected).
/// </summary>
public sealed class ProgressReporter : IProgress<RunProgress>
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ProgressTask> _tasks = [];
    private ProgressContext? _context;

    /// <summary>Runs <paramref name="work"/> with this reporter live.</summary>
    public T Run<T>(Func<T> work)
    {
        if (!Output.Interactive) return work();
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                _context = ctx;
                result = work();
            });
        _context = null;
        return result;
    }

    public void Report(RunProgress p)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{p.Name}: epoch {p.Epoch}/{p.Epochs}  cost {p.TrainCost:0.0000}  accuracy {Output.Percent(p.TestAccuracy)}  speed of learning L1 {Output.Sci(p.FirstLayerSpeed)} · last {Output.Sci(p.LastLayerSpeed)}  ({p.Seconds:0.0} s)");
        lock (_gate)
        {
            if (_context is null)
            {
                Console.Out.WriteLine(line);
                return;
            }
            if (!_tasks.TryGetValue(p.Name, out var task))
                _tasks[p.Name] = task = _context.AddTask(Markup.Escape(p.Name), maxValue: Math.Max(1, p.Epochs));
            task.Value = p.Epoch;
            task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{p.Name} · epoch {p.Epoch}/{p.Epochs} · cost {p.TrainCost:0.000} · acc {Output.Percent(p.TestAccuracy)} · L1/last {Output.Sci(p.FirstLayerSpeed)}/{Output.Sci(p.LastLayerSpeed)}"));
        }
    }
}
