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
    private const int BarWidth = 12;

    /// <summary>
    /// Terminal columns the bar, "100%" and "00:00:00" take with Spectre's one-column gaps, plus one spare: a
    /// description longer than the rest of the line would make the terminal wrap it, and every redraw would then
    /// scroll the bar down a line.
    /// </summary>
    public const int FixedWidth = 1 + BarWidth + 1 + 4 + 1 + 8 + 1;

    private readonly object _gate = new();
    private readonly Dictionary<string, ProgressTask> _tasks = [];
    private readonly IAnsiConsole _console;
    private readonly bool _live;
    private ProgressContext? _context;

    public ProgressReporter() : this(AnsiConsole.Console, Output.Interactive)
    {
    }

    /// <summary>A reporter drawing on <paramref name="console"/>: a live bar when <paramref name="live"/>, else plain lines on stdout.</summary>
    public ProgressReporter(IAnsiConsole console, bool live)
    {
        _console = console ?? throw new ArgumentNullException(nameof(console));
        _live = live;
    }

    /// <summary>Runs <paramref name="work"/> with this reporter live.</summary>
    public T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!_live) return work();
        T result = default!;
        _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = BarWidth }, new PercentageColumn(), new ElapsedTimeColumn())
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
        ArgumentNullException.ThrowIfNull(p);
        lock (_gate)
        {
            if (_context is null)
            {
                Console.Out.WriteLine(Line(p));
                return;
            }
            if (!_tasks.TryGetValue(p.Name, out var task))
                _tasks[p.Name] = task = _context.AddTask(Markup.Escape(Describe(p, _console.Profile.Width - FixedWidth)), maxValue: Math.Max(1, p.Epochs));
            task.Value = p.Epoch;
            task.Description = Markup.Escape(Describe(p, _console.Profile.Width - FixedWidth));
        }
    }

    /// <summary>"name: epoch 2/30  train cost 0.552  test accuracy 91.6%  speed of learning at step 9500: … (14.5 s)", the plain progress line.</summary>
    public static string Line(RunProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Output.Printable(p.Name)}: epoch {p.Epoch}/{p.Epochs}  train cost {Output.Sci(p.TrainCost)}  {Score(p)}  {Speeds(p)}  ({p.Seconds:0.0} s)");
    }

    /// <summary>"test accuracy 91.6%", "test R² 0.512", or "train accuracy …" for a run with no test set.</summary>
    public static string Score(RunProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return $"{(p.ScoreOnTest ? "test" : "train")} {p.Score}";
    }

    /// <summary>
    /// The bar's description in at most <paramref name="width"/> terminal columns: name · epoch · train cost · score ·
    /// speeds, leaving out the speeds first, then the epoch (the bar shows it), the score and the cost, and cutting
    /// the name with "…" when even it does not fit.
    /// </summary>
    public static string Describe(RunProgress p, int width)
    {
        ArgumentNullException.ThrowIfNull(p);
        width = Math.Max(1, width);
        string[] parts =
        [
            Output.Printable(p.Name), string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs}"),
            $"train cost {Output.Sci(p.TrainCost)}", Score(p), Speeds(p),
        ];
        int[][] choices = [[0, 1, 2, 3, 4], [0, 1, 2, 3], [0, 2, 3], [0, 2], [0]];
        foreach (int[] choice in choices)
        {
            string text = string.Join(" · ", choice.Select(i => parts[i]));
            if (Output.Width(text) <= width) return text;
        }
        return width == 1 ? "…" : parts[0][..Math.Min(parts[0].Length, width - 1)] + "…";
    }

    /// <summary>
    /// "speed of learning at step 1999: layer 1 3.1e-5 · layer 3 2.2e-4 · first hidden ÷ last hidden 1/7.1": the
    /// newest measurements, in the per-layer table's format; after the last epoch, its at-end values.
    /// </summary>
    public static string Speeds(RunProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.SpeedStep < 0) return "speed of learning not measured";
        int depth = p.Speeds.Count, last = Math.Max(1, depth - 1);
        string layers = last == 1 ? $"layer 1 {Output.Sci(p.Speeds[0])}" : $"layer 1 {Output.Sci(p.Speeds[0])} · layer {last} {Output.Sci(p.Speeds[last - 1])}";
        string ratio = p.Ratio.IsFinite ? $" · {SpeedRatio.Name} {p.Ratio}" : "";
        return string.Create(CultureInfo.InvariantCulture, $"speed of learning at step {p.SpeedStep}: {layers}{ratio}");
    }
}
