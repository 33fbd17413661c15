using System.Globalization;
using System.IO.Compression;

namespace Gradscope.Data;

/// <summary>
/// Reads delimited text (CSV, TSV, space-separated; gzipped when the name ends in <c>.gz</c>) a line at a time
/// into a <see cref="RawTable{T}"/>: every column but the target is a numeric feature. Fields may be double-quoted
/// (<c>""</c> inside a quoted field is one quote); blank lines are skipped. A bad cell stops the read with one line
/// naming the file, line and column.
/// </summary>
internal static class CsvTable
{
    /// <summary>
    /// Reads the file in two passes: the first only counts its rows (no values kept), so that the second parses
    /// each row straight into its place in arrays of their final size; <paramref name="holdOut"/> says, from the row
    /// count, which rows are held out.
    /// </summary>
    public static RawTable<T> Read<T>(string path, DataFileOptions options, Func<int, bool[]?> holdOut) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(holdOut);
        int rows = CountRows(path, options);
        char delimiter = options.DelimiterChar();
        using var reader = Open(path);
        int line = 0;
        for (int i = 0; i < options.SkipRows; i++)
        {
            if (reader.ReadLine() is null) throw new DataFormatException(path, $"the file has fewer than {options.SkipRows} lines to skip.");
            line++;
        }
        string? first = NextLine(reader, ref line);
        if (first is null) throw new DataFormatException(path, "the file is empty (no header or rows).");
        var fields = new List<(int Start, int Length)>();
        Split(first, delimiter, fields, path, line);
        int columns = fields.Count;
        string[] names = options.Header
            ? [.. fields.Select(f => Unquote(first.AsSpan(f.Start, f.Length)).Trim().ToString())]
            : [.. Enumerable.Range(1, columns).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        bool separateTargets = options.TargetFile is not null;
        int target = separateTargets ? -1 : TargetColumn(path, names, options.Target);
        if (!separateTargets && columns < 2) throw new DataFormatException(path, $"line {line}: one column only; a feature and a target are needed (is --delimiter right?).");
        string[] featureNames = [.. names.Where((_, c) => c != target)];
        var table = new RawTable<T>(path, featureNames.Length, featureNames, separateTargets ? "target" : names[target], rows, holdOut(rows));
        string? row = options.Header ? NextLine(reader, ref line) : first;
        if (row is null) throw new DataFormatException(path, "the file has a header but no rows.");
        for (; row is not null; row = NextLine(reader, ref line))
        {
            Split(row, delimiter, fields, path, line);
            if (fields.Count != columns)
                throw new DataFormatException(path, $"line {line}: {fields.Count} fields where the {(options.Header ? "header has" : "first row has")} {columns}.");
            var x = table.NextRow();
            int k = 0;
            for (int c = 0; c < columns; c++)
            {
                var cell = Unquote(row.AsSpan(fields[c].Start, fields[c].Length)).Trim();
                if (c == target)
                {
                    table.Targets.Add(cell, line, c + 1);
                    continue;
                }
                x[k++] = T.CreateTruncating(Number(cell, path, line, c + 1, names[c]));
            }
            table.CommitRow();
        }
        table.CheckComplete();
        if (separateTargets) ReadTargets(options.TargetFile!, options, table);
        return table;
    }

    /// <summary>
    /// The rows <see cref="Read"/> will find: lines after the skipped ones that are not blank, less the header. Lines
    /// end as <see cref="TextReader.ReadLine"/> ends them (\n, \r, \r\n) and blank means white space only, so both
    /// passes see the same lines; the count never reads a value, and a file it cannot count is left to the second
    /// pass to report.
    /// </summary>
    internal static int CountRows(string path, DataFileOptions options)
    {
        using var reader = Open(path);
        var buffer = new char[1 << 16];
        int line = 0, rows = 0;
        bool inLine = false, content = false, afterCarriageReturn = false;
        while (true)
        {
            int n;
            try
            {
                n = reader.Read(buffer, 0, buffer.Length);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"line {line}: the gzip stream is corrupt ({e.Message})");
            }
            if (n == 0) break;
            foreach (char c in buffer.AsSpan(0, n))
            {
                if (afterCarriageReturn)
                {
                    afterCarriageReturn = false;
                    if (c == '\n') continue; // the \n of a \r\n ending
                }
                if (c is '\n' or '\r')
                {
                    EndLine();
                    afterCarriageReturn = c == '\r';
                    continue;
                }
                inLine = true;
                content |= !char.IsWhiteSpace(c);
            }
        }
        if (inLine) EndLine();
        return Math.Max(0, rows - (options.Header ? 1 : 0));

        void EndLine()
        {
            line++;
            if (line > options.SkipRows && content) rows++;
            inLine = content = false;
        }
    }

    /// <summary>The targets from a file of their own: the last column of each row, row r for example r.</summary>
    private static void ReadTargets<T>(string path, DataFileOptions options, RawTable<T> table) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        char delimiter = options.DelimiterChar();
        using var reader = Open(path);
        int line = 0;
        for (int i = 0; i < options.SkipRows && reader.ReadLine() is not null; i++) line++;
        if (options.Header) NextLine(reader, ref line);
        var fields = new List<(int Start, int Length)>();
        string? row;
        while ((row = NextLine(reader, ref line)) is not null)
        {
            if (table.Targets.Count == table.Rows) throw new DataFormatException(path, $"line {line}: more target rows than the {table.Rows} rows of '{table.Path}'.");
            Split(row, delimiter, fields, path, line);
            var last = fields[^1];
            table.Targets.Add(Unquote(row.AsSpan(last.Start, last.Length)), line, fields.Count);
        }
        if (table.Targets.Count != table.Rows)
            throw new DataFormatException(path, $"{table.Targets.Count} target rows for the {table.Rows} rows of '{table.Path}'.");
    }

    private static TextReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        Stream stream = RegularFile.OpenRead(path); // a FIFO or device would block or never end: regular files only
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    private static string? NextLine(TextReader reader, ref int line)
    {
        string? text;
        try
        {
            do
            {
                text = reader.ReadLine();
                line++;
            } while (text is not null && string.IsNullOrWhiteSpace(text));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"line {line}: the gzip stream is corrupt ({e.Message})");
        }
        return text;
    }

    private static int TargetColumn(string path, string[] names, string? target)
    {
        if (target is null) return names.Length - 1;
        int index = Array.IndexOf(names, target);
        if (index < 0) index = Array.FindIndex(names, n => string.Equals(n, target, StringComparison.OrdinalIgnoreCase));
        if (index < 0 && int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1 && number <= names.Length)
            index = number - 1;
        if (index < 0)
            throw new DataFormatException(path, $"no column named '{target}' (columns: {string.Join(", ", names.Take(12))}{(names.Length > 12 ? ", …" : "")}).");
        return index;
    }

    private static double Number(ReadOnlySpan<char> cell, string path, int line, int column, string name)
    {
        if (cell.IsEmpty) throw new DataFormatException(path, $"line {line}, column {column} ('{name}'): empty cell; every feature must be a number.");
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new DataFormatException(path, $"line {line}, column {column} ('{name}'): '{Clip(cell)}' is not a number.");
        if (!double.IsFinite(v))
            throw new DataFormatException(path, $"line {line}, column {column} ('{name}'): {cell.ToString()}; NaN and infinite values are not allowed.");
        return v;
    }

    private static string Clip(ReadOnlySpan<char> cell) => cell.Length <= 40 ? cell.ToString() : cell[..40].ToString() + "…";

    /// <summary>Field boundaries of one line. ' ' splits on runs of spaces and tabs and ignores them at either end.</summary>
    private static void Split(string line, char delimiter, List<(int, int)> fields, string path, int number)
    {
        fields.Clear();
        int i = 0, n = line.Length;
        if (delimiter == ' ')
        {
            while (true)
            {
                while (i < n && line[i] is ' ' or '\t') i++;
                if (i >= n) return;
                int start = i;
                while (i < n && line[i] is not (' ' or '\t')) i++;
                fields.Add((start, i - start));
            }
        }
        while (true)
        {
            int start = i;
            if (i < n && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= n) throw new DataFormatException(path, $"line {number}, column {fields.Count + 1}: a quoted field is not closed.");
                    if (line[i] == '"')
                    {
                        if (i + 1 < n && line[i + 1] == '"') i += 2;
                        else { i++; break; }
                    }
                    else i++;
                }
            }
            while (i < n && line[i] != delimiter) i++;
            fields.Add((start, i - start));
            if (i >= n) return;
            i++;
        }
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> field)
    {
        var t = field.Trim();
        if (t.Length >= 2 && t[0] == '"' && t[^1] == '"')
        {
            var inner = t[1..^1];
            return inner.Contains("\"\"", StringComparison.Ordinal) ? inner.ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : inner;
        }
        return t;
    }
}
