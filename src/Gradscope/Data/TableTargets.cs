using System.Globalization;

namespace Gradscope.Data;

/// <summary>
/// The target column as read: a number per row while every cell parses as one, and a class id per row by the
/// cell's text. After reading, <see cref="IsClassification"/> decides the task: text labels, or whole numbers with
/// at most <see cref="MaxNumericClasses"/> distinct values, are classes; other numbers are regression targets.
/// </summary>
internal sealed class TableTargets(string path, string name, int rows)
{
    /// <summary>Whole-number targets with more distinct values than this are taken as regression targets unless --task says otherwise.</summary>
    public const int MaxNumericClasses = 100;

    // One slot a row, sized once: a target column of millions of rows is not grown through copies.
    private readonly double[] _values = new double[rows];
    private readonly int[] _ids = new int[rows];
    private int _count;
    // A class by the cell's value when it is a number (by its bits: "1" and "1.0" are one class, -0 and 0 two, as
    // their "R" texts are), by its text otherwise; no string is made for a number already seen.
    private readonly Dictionary<long, int> _numbers = [];
    private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> TextLookup => _texts.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly List<string> _names = [];
    private bool _allNumeric = true, _allWhole = true;

    public string Path => path;
    public string Name => name;
    public int Count => _count;
    public bool AllNumeric => _allNumeric;

    private int Distinct => _numbers.Count + _texts.Count;

    public void Add(ReadOnlySpan<char> cell, int line, int column)
    {
        cell = cell.Trim();
        if (cell.IsEmpty) throw new DataFormatException(path, $"line {line}, column {column} ('{name}'): the target is empty.");
        if (_count == _ids.Length) throw new DataFormatException(path, $"line {line}: more target rows than the {_ids.Length} counted; was the file changed while it was read?");
        bool numeric = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v);
        if (_allNumeric && numeric)
        {
            if (!double.IsFinite(v)) throw new DataFormatException(path, $"line {line}, column {column} ('{name}'): the target is {cell.ToString()}; NaN and infinite values are not allowed.");
            _values[_count] = v;
            _allWhole &= Math.Abs(v) < 1e15 && v == Math.Round(v);
        }
        else _allNumeric = false;
        int id = 0;
        bool known = numeric ? _numbers.TryGetValue(BitConverter.DoubleToInt64Bits(v), out id) : TextLookup.TryGetValue(cell, out id);
        if (!known && Distinct <= 100_000)
        {
            id = Distinct;
            string key = numeric ? v.ToString("R", CultureInfo.InvariantCulture) : cell.ToString();
            if (numeric) _numbers[BitConverter.DoubleToInt64Bits(v)] = id;
            else _texts[key] = id;
            _names.Add(key);
        }
        _ids[_count++] = id;
    }

    /// <summary>The task: <paramref name="requested"/> when given, else from the column (see the type's summary).</summary>
    public bool IsClassification(bool? requested)
    {
        if (requested == false && !_allNumeric) throw new DataFormatException(path, $"column '{name}' holds text, so it cannot be a regression target.");
        return requested ?? (!_allNumeric || (_allWhole && Distinct <= MaxNumericClasses));
    }

    /// <summary>Class names in order (numbers ascending, text in ordinal order) and the class of each row.</summary>
    public (string[] Classes, int[] Labels) Classes()
    {
        if (Distinct > 100_000) throw new DataFormatException(path, $"column '{name}' has more than 100000 distinct values; is it really a class label? (--task regress)");
        // Ids were handed out in order of appearance; the numbering users see is sorted, so it is the same for any row order.
        int[] order = [.. Enumerable.Range(0, _names.Count)];
        if (_allNumeric) Array.Sort(order, (a, b) => double.Parse(_names[a], CultureInfo.InvariantCulture).CompareTo(double.Parse(_names[b], CultureInfo.InvariantCulture)));
        else Array.Sort(order, (a, b) => string.CompareOrdinal(_names[a], _names[b]));
        var rank = new int[order.Length];
        for (int i = 0; i < order.Length; i++) rank[order[i]] = i;
        var labels = new int[_count];
        for (int r = 0; r < labels.Length; r++) labels[r] = rank[_ids[r]];
        return ([.. order.Select(i => _names[i])], labels);
    }

    public double Value(int row) => _values[row];
}
