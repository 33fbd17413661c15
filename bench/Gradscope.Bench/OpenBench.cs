using System.Diagnostics;
using System.Globalization;

namespace Gradscope.Bench;

/// <summary>
/// <c>open [--records N] [--rounds R]</c>: opening a run of a million metric records (the dashboard test's shape:
/// 5 layers × 4 quantities a step), before and after the metrics scanner, in one process: the old path
/// (<see cref="LegacyOpen"/>, the general JSON reader) and today's take turns, each keeping its best round, and the
/// ratio is printed. Wall clock and the process's CPU time (all threads) are both shown: on a shared machine the CPU
/// time is the steadier figure. Last, the dashboard's own requests (today's code only) as its test makes them.
/// </summary>
internal static class OpenBench
{
    public static int Run(string[] args)
    {
        int records = Option(args, "--records", 1_000_000), rounds = Option(args, "--rounds", 5);
        string root = Path.Combine(Path.GetTempPath(), $"gradscope-open-{Environment.ProcessId}");
        string dir = Path.Combine(root, "big");
        try
        {
            Write(dir, records);
            string metrics = Path.Combine(dir, RunFiles.Metrics);
            var info = RunRecord.Load(dir).Info;
            var bytes = File.ReadAllBytes(metrics);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Format(c, "{0:N0} records, {1:N1} MB, {2} cores; best of {3} rounds, before and after taking turns",
                records, bytes.Length / 1e6, Environment.ProcessorCount, rounds));
            var pairs = new (string Name, Action Before, Action After)[]
            {
                ("parse every line, one thread", () => ParseAll(bytes, reference: true), () => ParseAll(bytes, reference: false)),
                ("dashboard open: tail + RunView.Append", () => LegacyOpen.Live(metrics), () =>
                {
                    var batch = new List<MetricRecord>();
                    new MetricsTail(metrics).ReadNew(batch);
                    new RunView(info.Layers, []).Append(batch);
                }),
                ("run directory: RunRecord.Load + RunView", () => LegacyOpen.Whole(metrics), () => _ = new RunView(RunRecord.Load(dir))),
            };
            Console.WriteLine(string.Format(c, "  {0,-42} {1,21} {2,21} {3,15}", "", "before: wall / CPU", "after: wall / CPU", "after/before"));
            foreach (var (name, before, after) in pairs)
            {
                var b = Best(before, rounds);
                var a = Best(after, rounds);
                Console.WriteLine(string.Format(c, "  {0,-42} {1,9:F3} / {2,7:F3} s {3,9:F3} / {4,7:F3} s {5,6:F2} / {6:F2}",
                    name, b.Wall, b.Cpu, a.Wall, a.Cpu, a.Wall / b.Wall, a.Cpu / b.Cpu));
            }
            for (int r = 0; r < rounds; r++)
            {
                GC.Collect();
                var pause = GC.GetTotalPauseDuration();
                int gen2 = GC.CollectionCount(2), gen0 = GC.CollectionCount(0);
                var clock = Stopwatch.StartNew();
                var live = new Gradscope.Server.LiveRun("big", dir);
                live.Refresh();
                double open = clock.Elapsed.TotalSeconds;
                double paused = (GC.GetTotalPauseDuration() - pause).TotalSeconds;
                int collections = GC.CollectionCount(0) - gen0 + GC.CollectionCount(2) - gen2;
                System.Text.Json.JsonSerializer.Serialize(Gradscope.Server.RunJson.Run(live));
                double json = clock.Elapsed.TotalSeconds;
                lock (live.Gate) foreach (int l in Enumerable.Range(1, 5)) Gradscope.Server.Downsample.Of(live.View.Records(live.View.SpeedQuantity, l), double.NegativeInfinity, double.PositiveInfinity, 1000);
                Console.WriteLine(string.Format(c, "  the dashboard's LiveRun, round {0}: open {1:F3} s ({2} collections, {3:F3} s paused), run JSON {4:F3} s, one series {5:F3} s",
                    r + 1, open, collections, paused, json - open, clock.Elapsed.TotalSeconds - json));
            }
            var dashboard = Enumerable.Range(0, rounds).Select(_ => Dashboard(root, "big").GetAwaiter().GetResult()).Min();
            Console.WriteLine(string.Format(c, "  dashboard requests (api/run + 2 series, fresh server, as its test times them): {0:F3} s (target < 2 s)", dashboard));
            return 0;
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static (double Wall, double Cpu) Best(Action act, int rounds)
    {
        double wall = double.MaxValue, cpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < rounds; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            act();
            wall = Math.Min(wall, clock.Elapsed.TotalSeconds);
            process.Refresh();
            cpu = Math.Min(cpu, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        return (wall, cpu);
    }

    /// <summary>The dashboard's million-record test, timed the same way: a fresh server (not timed), then the run page's first three requests.</summary>
    private static async Task<double> Dashboard(string root, string id)
    {
        await using var server = await Gradscope.Server.DashboardServer.StartAsync(root);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        await http.GetAsync("favicon.ico");
        var clock = Stopwatch.StartNew();
        await http.GetStringAsync($"api/run?id={id}");
        await http.GetStringAsync($"api/series?id={id}&q=speed&points=1000");
        await http.GetStringAsync($"api/series?id={id}&q=gain&points=1000");
        return clock.Elapsed.TotalSeconds;
    }

    private static int ParseAll(byte[] bytes, bool reference)
    {
        int n = 0;
        var span = bytes.AsSpan();
        while (!span.IsEmpty)
        {
            int end = span.IndexOf((byte)'\n');
            var line = end < 0 ? span : span[..end];
            if ((reference ? MetricsJsonl.ParseAny(line, out _) : MetricsJsonl.Parse(line, out _)) is not null) n++;
            span = end < 0 ? default : span[(end + 1)..];
        }
        return n;
    }

    /// <summary>The run the dashboard's million-record test writes: 20 records a step.</summary>
    private static void Write(string dir, int records)
    {
        var layers = Enumerable.Range(1, 5).Select(l => new LayerDescriptor { Index = l, Units = 30, Activation = "sigmoid" }).ToList();
        using var writer = RunWriter.Create(dir, new RunInfo { Name = "big", Layers = layers, Data = new DataInfo("synthetic", 1, 0, 1) });
        var batch = new MetricRecord[20];
        string[] quantities = [Quantity.BiasGradNorm, Quantity.Gain, Quantity.DeltaNorm, Quantity.WeightGradNorm];
        for (int step = 0; step < records / 20; step++)
        {
            int n = 0;
            foreach (string q in quantities)
                for (int l = 1; l <= 5; l++) batch[n++] = new MetricRecord(step, step / 500, l, q, Math.Exp(-l - step * 1e-5) * (1 + 0.1 * Math.Sin(step)));
            writer.AddRange(batch);
        }
        writer.Complete(RunStatus.Complete);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
