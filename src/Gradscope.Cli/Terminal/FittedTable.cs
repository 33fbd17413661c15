using Spectre.Console;
using Spectre.Console.Rendering;

namespace Gradscope.Cli.Terminal;

/// <summary>
/// A table that fits the width it is drawn at: when its narrowest layout (text columns wrapped at spaces, number
/// columns whole) is wider, columns are left out, lowest priority first, and the caption names them. Numbers are
/// never split across lines. Cells are plain text (escaped here).
/// </summary>
public sealed class FittedTable(string title) : IRenderable
{
    /// <summary>A column that is never left out.</summary>
    public const int Always = int.MaxValue;

    private sealed record Column(string Header, int Priority, bool Wrap);

    private readonly List<Column> _columns = [];
    private readonly List<string[]> _rows = [];
    private readonly List<string> _captions = [];

    /// <summary>
    /// Adds a column; a lower <paramref name="priority"/> is left out sooner (ties: the rightmost first). Only
    /// <paramref name="wrap"/> columns (words, not numbers) may break their cells across lines.
    /// </summary>
    public FittedTable AddColumn(string header, int priority = Always, bool wrap = false)
    {
        _columns.Add(new Column(header, priority, wrap));
        return this;
    }

    public FittedTable AddRow(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _columns.Count) throw new ArgumentException($"A row of {cells.Length} cells for {_columns.Count} columns.", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    /// <summary>A caption line under the table (plain text).</summary>
    public FittedTable Caption(string text)
    {
        _captions.Add(text);
        return this;
    }

    public int ColumnCount => _columns.Count;

    /// <summary>The columns kept at <paramref name="width"/>, in their order.</summary>
    public IReadOnlyList<int> KeptAt(int width)
    {
        var kept = Enumerable.Range(0, _columns.Count).ToList();
        while (kept.Sum(Minimum) > Available(width, kept.Count))
        {
            var droppable = kept.Where(i => _columns[i].Priority != Always).ToList();
            if (droppable.Count == 0) break;
            int lowest = droppable.Min(i => _columns[i].Priority);
            kept.Remove(droppable.Last(i => _columns[i].Priority == lowest));
        }
        return kept;
    }

    /// <summary>The Spectre table for <paramref name="width"/> terminal columns.</summary>
    public Table Build(int width)
    {
        var kept = KeptAt(width).ToList();
        var widths = Widths(kept, Available(width, kept.Count));
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(Output.Printable(title)));
        for (int k = 0; k < kept.Count; k++)
        {
            var column = new TableColumn(Markup.Escape(Output.Printable(_columns[kept[k]].Header)));
            if (widths is not null) column.Width = widths[k];
            table.AddColumn(column);
        }
        foreach (var row in _rows) table.AddRow(kept.Select(i => Markup.Escape(Output.Printable(row[i]))).ToArray());
        var captions = new List<string>(_captions);
        var left = Enumerable.Range(0, _columns.Count).Except(kept).Select(i => _columns[i].Header).ToList();
        if (left.Count > 0) captions.Add($"left out to fit {width} columns: {string.Join(", ", left)} (a wider terminal shows them)");
        if (captions.Count > 0) table.Caption(string.Join("\n", captions.Select(c => Markup.Escape(Output.Printable(c)))));
        return table;
    }

    public Measurement Measure(RenderOptions options, int maxWidth) => ((IRenderable)Build(maxWidth)).Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) => ((IRenderable)Build(maxWidth)).Render(options, maxWidth);

    /// <summary>Text columns left at <paramref name="width"/>: rounded borders take one per column and one more, padding one either side of every cell.</summary>
    private static int Available(int width, int columns) => width - (columns + 1) - 2 * columns;

    /// <summary>
    /// Fixed widths when the natural ones do not fit: the widest column above its floor gives up one terminal column
    /// at a time, first down to its widest cell (only its header wraps), then down to its longest word. Spectre's own
    /// squeeze ignores where words end and, as a last resort, cuts every column evenly, numbers included; widths set
    /// here never go below a column's longest word or number.
    /// </summary>
    private int[]? Widths(List<int> kept, int available)
    {
        var widths = kept.Select(Natural).ToArray();
        int excess = widths.Sum() - available;
        if (excess <= 0) return null;
        var minimum = kept.Select(Minimum).ToArray();
        var cells = kept.Select(i => Math.Max(Minimum(i), _rows.Select(r => Output.Width(Output.Printable(r[i]))).DefaultIfEmpty(0).Max())).ToArray();
        foreach (var floor in new[] { cells, minimum })
            while (excess > 0)
            {
                int widest = -1;
                for (int k = 0; k < widths.Length; k++)
                    if (widths[k] > floor[k] && (widest < 0 || widths[k] > widths[widest])) widest = k;
                if (widest < 0) break;
                widths[widest]--;
                excess--;
            }
        return widths;
    }

    /// <summary>The column's width unwrapped: its longest header or cell.</summary>
    private int Natural(int i) => _rows.Select(r => Output.Width(Output.Printable(r[i]))).Append(Output.Width(Output.Printable(_columns[i].Header))).Max();

    /// <summary>The narrowest the column may be: its longest word (headers always wrap), and whole cells for a column of numbers.</summary>
    private int Minimum(int i)
    {
        var column = _columns[i];
        int width = LongestWord(column.Header);
        foreach (var row in _rows)
            width = Math.Max(width, column.Wrap ? LongestWord(row[i]) : Output.Width(Output.Printable(row[i])));
        return width;
    }

    private static int LongestWord(string text) =>
        Output.Printable(text).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(Output.Width).DefaultIfEmpty(1).Max();
}
