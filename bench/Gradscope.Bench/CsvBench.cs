using System.Diagnostics;
using System.Globalization;
using Gradscope.Data;

namespace Gradscope.Bench;

/// <summary>
/// <c>csv [--rows N] [--features F] [--file path]</c>: peak memory of reading a CSV data file (F features and a
/// 10-class label per row; <c>--file</c> reads one of yours instead), for a float32 and a float64 run, each in a
/// child process of its own so that each peak is its own: the peak resident set (VmHWM) before and after
/// <see cref="FileData.Load"/>, as a ratio of the values' float64 size (rows × columns × 8 bytes), which is what
/// issue 13 bounds at about 2×.
/// </summary>
internal static class CsvBench
{
    public static int Run(string[] args)
    {
        if (args.Length == 3 && args[0] == "--child") return Child(args[1], args[2]);
        int rows = Option(args, "--rows", 300_000), features = Option(args, "--features", 20);
        int i = Array.IndexOf(args, "--file");
        string path = i >= 0 && i + 1 < args.Length ? args[i + 1] : Path.Combine(Path.GetTempPath(), $"gradscope-csv-{Environment.ProcessId}.csv");
        bool made = i < 0;
        try
        {
            if (made) Write(path, rows, features);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Format(c, "{0}: {1:N1} MB of text", path, new FileInfo(path).Length / 1e6));
            foreach (string precision in new[] { "float32", "float64" })
            {
                var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
                foreach (string a in new[] { typeof(CsvBench).Assembly.Location, "csv", "--child", path, precision }) start.ArgumentList.Add(a);
                using var child = Process.Start(start)!;
                string output = child.StandardOutput.ReadToEnd();
                child.WaitForExit();
                Console.Write(output);
            }
            return 0;
        }
        finally
        {
            if (made) File.Delete(path);
        }
    }

    private static int Child(string path, string precision)
    {
        // The runtime and the loader's code are in place before the measured load: a tiny file first.
        string warm = Path.Combine(Path.GetTempPath(), $"gradscope-csv-warm-{Environment.ProcessId}.csv");
        Write(warm, 20, 3);
        FileData.Load(warm, new DataFileOptions(), keepExact: precision == "float64");
        File.Delete(warm);
        long before = PeakBytes(), allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var split = FileData.Load(path, new DataFileOptions(), keepExact: precision == "float64");
        double seconds = clock.Elapsed.TotalSeconds;
        long peak = PeakBytes();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var set = split.ExactTrain is { } e ? (e.Count + split.ExactTest!.Count, e.InputSize) : (split.Train.Count + split.Test.Count, split.Train.InputSize);
        double numeric = (double)set.Item1 * (set.Item2 + 1) * 8;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c,
            "  {0}: {1:N0} rows × {2} columns = {3:N1} MB as float64; peak resident {4:N1} MB ({5:N1} MB before loading): {6:F2}× the float64 size ({7:F2}× counting the load alone); allocated {8:F2}×; {9:F1} s",
            precision, set.Item1, set.Item2 + 1, numeric / 1e6, peak / 1e6, before / 1e6, peak / numeric, (peak - before) / numeric, allocated / numeric, seconds));
        GC.KeepAlive(split);
        return 0;
    }

    /// <summary>The process's peak resident set so far (VmHWM in /proc/self/status).</summary>
    private static long PeakBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private static void Write(string path, int rows, int features)
    {
        var rng = new Gradscope.Numerics.Rng(13);
        using var w = new StreamWriter(path);
        w.WriteLine(string.Join(',', Enumerable.Range(0, features).Select(f => $"x{f}")) + ",y");
        var line = new System.Text.StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            line.Clear();
            for (int f = 0; f < features; f++) line.Append(rng.NextNormal().ToString("R", CultureInfo.InvariantCulture)).Append(',');
            w.WriteLine(line.Append(r % 10).ToString());
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
