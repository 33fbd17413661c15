using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gradscope.Data;

namespace Gradscope.Tests.Data;

/// <summary>
/// A data file is held once: its rows are counted first, then parsed straight into arrays of their final size, and a
/// float64 run keeps no float32 copy. Issue 13 bounds the peak at about twice the values' float64 size.
/// </summary>
public sealed class CsvMemoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void Write(string path, int rows, int features)
    {
        var rng = new Gradscope.Numerics.Rng(29);
        using var w = new StreamWriter(path);
        w.WriteLine(string.Join(',', Enumerable.Range(0, features).Select(f => $"x{f}")) + ",y");
        var line = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            line.Clear();
            double y = 0;
            for (int f = 0; f < features; f++)
            {
                double x = rng.NextNormal();
                y += x;
                line.Append(x.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }
            w.WriteLine(line.Append(y.ToString("R", CultureInfo.InvariantCulture)).ToString());
        }
    }

    private long PeakKb(string csv, string precision)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Gradscope.Cli.dll");
        var start = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-f", "peak-kb %M", "dotnet", dll, "train", "--data", csv, "--hidden", "4", "--precision", precision,
            "--epochs", "0", "--probes", "none", "--no-save", "--no-report", "--out", "runs" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr}{stdout}");
        return long.Parse(stderr.Split("peak-kb ")[^1].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The peak grows by less than 2 bytes per byte of float64 values: measured as the slope between N and 2N rows, so
    /// what every process has anyway (the runtime, the collector's young generation, the first 100 000 distinct targets
    /// a column keeps to tell classes from values) cancels out.
    /// </summary>
    [Fact]
    public void Train_Float64Csv_PeakGrowsByUnderTwiceTheValuesFloat64Size()
    {
        if (!File.Exists("/usr/bin/time")) return;
        const int rows = 120_000, features = 25;
        string n = _dir.File("n.csv"), twice = _dir.File("2n.csv");
        Write(n, rows, features);
        Write(twice, 2 * rows, features);
        double numericKb = (double)rows * (features + 1) * 8 / 1024;
        double slope = (PeakKb(twice, "float64") - PeakKb(n, "float64")) / numericKb;
        Console.WriteLine($"float64: {rows:N0} more rows of {features + 1} values ({numericKb / 1024:F1} MB as float64) raise the peak by {slope:F2}× that");
        // Before the values were parsed into place a float64 run held them three times (chunks, sets, a float32 copy).
        Assert.True(slope < 2.0, $"the peak grows by {slope:F2}× the float64 size of the values");
    }

    [Fact]
    public void Load_Float64_KeepsTheParsedArraysAndMakesNoFloat32Copy()
    {
        string path = _dir.File("d.csv");
        Write(path, 500, 4);
        var split = FileData.Load(path, new DataFileOptions { TestFraction = 0.2 }, keepExact: true);
        Assert.Equal((400, 100), (split.Train.Count, split.Test.Count));
        Assert.False(split.Train.IsMade);
        Assert.False(split.Test.IsMade);
        var float32 = FileData.Load(path, new DataFileOptions { TestFraction = 0.2 });
        Assert.Equal(float32.Train.Inputs.ToArray(), split.Train.Inputs.ToArray()); // made on use: the same float32 values
        Assert.True(split.Train.IsMade);
    }

    /// <summary>The first pass counts the rows the second reads, for any line ending and blank lines, against ReadLine.</summary>
    [Theory]
    [InlineData("a,y\n1,2\n3,4\n", 0, true)]
    [InlineData("a,y\r\n1,2\r\n\r\n3,4", 0, true)]
    [InlineData("a,y\r1,2\r3,4\r", 0, true)]
    [InlineData("junk\n\n  \t \na,y\n1,2\n \n3,4\n\n", 2, true)]
    [InlineData("1,2\n3,4\n5,6", 0, false)]
    [InlineData("\n\n1,2\n", 1, false)]
    [InlineData("a,y\n", 0, true)]
    [InlineData("", 0, true)]
    [InlineData("a,y\n1,2\u00a0\n\u00a0\n3,4\n", 0, true)]
    public void CountRows_AnyLineEndings_SameAsTheLinesTheParserReads(string text, int skip, bool header)
    {
        string path = _dir.File("c.csv");
        File.WriteAllText(path, text);
        var options = new DataFileOptions { SkipRows = skip, Header = header };
        int expected = 0, line = 0;
        using (var reader = new StreamReader(path))
            for (string? l; (l = reader.ReadLine()) is not null;)
                if (++line > skip && !string.IsNullOrWhiteSpace(l)) expected++;
        expected = Math.Max(0, expected - (header ? 1 : 0));
        Assert.Equal(expected, CsvTable.CountRows(path, options));
    }
}
