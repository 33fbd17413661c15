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
            $"{Output.Printable(p.Name)}: epoch {p.Epoch}/{p.Epochs}  cost {Output.Sci(p.TrainCost)}  {p.Score}  {Speeds(p)}  ({p.Seconds:0.0} s)");
        lock (_gate)
        {
            if (_context is null)
            {
                Console.Out.WriteLine(line);
                return;
            }
            if (!_tasks.TryGetValue(p.Name, out var task))
                _tasks[p.Name] = task = _context.AddTask(Markup.Escape(Output.Printable(p.Name)), maxValue: Math.Max(1, p.Epochs));
            task.Value = p.Epoch;
            task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{Output.Printable(p.Name)} · epoch {p.Epoch}/{p.Epochs} · cost {Output.Sci(p.TrainCost)} · {p.Score} · {Speeds(p)}"));
        }
    }

    /// <summary>
    /// "speed of learning at step 1999: layer 1 3.1e-5 · layer 3 2.2e-4 · first hidden ÷ last hidden 1/7.1": the
    /// newest measurements, in the per-layer table's format; after the last epoch, its at-end values.
    /// </summary>
    public static string Speeds(RunProgress p)
    {
        if (p.SpeedStep < 0) return "speed of learning not measured";
        int depth = p.Speeds.Count, last = Math.Max(1, depth - 1);
        string layers = last == 1 ? $"layer 1 {Output.Sci(p.Speeds[0])}" : $"layer 1 {Output.Sci(p.Speeds[0])} · layer {last} {Output.Sci(p.Speeds[last - 1])}";
        string ratio = p.Ratio.IsFinite ? $" · {SpeedRatio.Name} {p.Ratio}" : "";
        return string.Create(CultureInfo.InvariantCulture, $"speed of learning at step {p.SpeedStep}: {layers}{ratio}");
    }
}
