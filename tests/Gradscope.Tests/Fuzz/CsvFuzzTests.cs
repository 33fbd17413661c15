using System.Text;
using CsCheck;
using Gradscope.Data;

namespace Gradscope.Tests.Fuzz;

/// <summary>
/// CSV data files, mostly well formed with any cell able to lie (text, NaN, empty, extra or missing cells, one
/// class, a cut-off file, odd delimiters, a gzip wrapper): every file reads or is one bad-input line.
/// </summary>
public sealed class CsvFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-fuzz-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Gen<string> Cell = Gen.Frequency(
        (12, Gen.Double[-5, 5].Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
        (3, Gen.Int[0, 3].Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Int[0, 10].Select(k => new[] { "", "NaN", "inf", "-Infinity", "x", "1e999", " 2 ", "\"3\"", "1,5", "0x10", "--1" }[k])),
        (1, Gen.String[0, 6]));

    private static readonly Gen<(int Columns, string[][] Rows, bool Header, int Cut, int Delimiter, bool Gzip)> Files =
        from columns in Gen.Int[1, 5]
        from rows in Cell.Array[1, 7].Array[0, 30]
        from header in Gen.Bool
        from cut in Gen.Int[0, 100]
        from delimiter in Gen.Int[0, 2]
        from gzip in Gen.Int[0, 9]
        select (columns, rows, header, cut, delimiter, gzip == 0);

    [Fact]
    public void CsvFiles_ReadOrOneBadInputLine()
    {
        int ok = 0;
        int cases = Fuzz.Run(Files, 300, 20261130, (f, i) =>
        {
            string delimiter = f.Delimiter switch { 0 => ",", 1 => ";", _ => "\t" };
            var text = new StringBuilder();
            if (f.Header) text.AppendLine(string.Join(delimiter, Enumerable.Range(0, f.Columns).Select(c => $"c{c}")));
            // Most rows have the header's width; the generator's own widths make ragged rows now and then.
            foreach (var row in f.Rows) text.AppendLine(string.Join(delimiter, row.Length > 2 ? row.Take(f.Columns) : row));
            string content = text.ToString();
            if (f.Cut > 90) content = content[..(content.Length * (f.Cut - 90) / 10)];
            string path = Path.Combine(_dir, $"case-{i % 8}.csv" + (f.Gzip ? ".gz" : ""));
            byte[] bytes = Encoding.UTF8.GetBytes(content);
            if (f.Gzip)
            {
                using var buffer = new MemoryStream();
                using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
                bytes = buffer.ToArray();
            }
            File.WriteAllBytes(path, bytes);
            var options = new DataFileOptions { Delimiter = delimiter, Header = f.Header };
            if (Fuzz.SucceedsOrBadInput(() => FileData.Load(path, options), "FileData.Load")) ok++;
        });
        Assert.True(ok > 0 && ok < cases, $"{ok} of {cases} read: the generator should make both kinds");
    }
}
