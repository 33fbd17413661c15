using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Gradscope.Numerics;

namespace Gradscope.Bench;

/// <summary>
/// <c>gemm [--quick] [--no-peer]</c>: GFLOP/s of <see cref="Gemm.Multiply{T}"/> (2·m·n·k flops per product, best
/// of several timed samples after a warm-up) at 2048³, at the shapes of a [784,1000,…] MLP at batch 100 and 10,
/// and at the per-call shapes of a [784,30,30,30,10] MLP at batch 10; then, when numpy is importable, OpenBLAS's
/// figures at 2048³ from the peer script, and ours as a ratio of them.
/// </summary>
internal static class GemmBench
{
    private sealed record Shape(string Name, bool TransposeA, bool TransposeB, int M, int N, int K)
    {
        public double Flops => 2.0 * M * N * K;

        public string Form => $"{(TransposeA ? 'T' : 'N')}{(TransposeB ? 'T' : 'N')}";
    }

    private static readonly Shape[] WideNet =
    [
        new("forward Z = A·Wᵀ", false, true, 100, 1000, 1000),
        new("weight grad δᵀ·A", true, false, 1000, 1000, 100),
        new("back signal δ·W", false, false, 100, 1000, 1000),
    ];

    // A [784,1000,…] MLP at mini-batch 10: few rows, read-B-once products.
    private static readonly Shape[] BatchTen =
    [
        new("forward, batch 10", false, true, 10, 1000, 784),
        new("weight grad, batch 10", true, false, 1000, 784, 10),
        new("back signal, batch 10", false, false, 10, 784, 1000),
    ];

    private static readonly Shape[] SmallNet =
    [
        new("forward l1", false, true, 10, 30, 784),
        new("forward l2", false, true, 10, 30, 30),
        new("forward out", false, true, 10, 10, 30),
        new("weight grad l1", true, false, 30, 784, 10),
        new("weight grad l2", true, false, 30, 30, 10),
        new("weight grad out", true, false, 10, 30, 10),
        new("back signal l2", false, false, 10, 30, 30),
        new("back signal out", false, false, 10, 30, 10),
    ];

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick"), peer = !args.Contains("--no-peer");
        // Many short samples, best kept: on a shared machine a short sample has a fair chance of running
        // unpreempted, which a long one does not.
        double minSeconds = 0.02;
        int samples = quick ? 5 : 25;
        const int cores = 2; // the target machine's; the brief compares 1 and 2 threads
        using var pool = new ComputePool(cores);
        var square = new Shape("square", false, false, 2048, 2048, 2048);
        var ours = new Dictionary<(string DType, int Threads), double>();

        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
        Console.WriteLine($"# Gemm.Multiply, {Environment.ProcessorCount} logical cores, load average {load}, best of {samples} samples");
        Console.WriteLine();
        Console.WriteLine("| shape | form | dtype | threads | GFLOP/s | µs/call |");
        Console.WriteLine("|---|---|---|---|---|---|");
        MeasureSquare(square, pool, ours, minSeconds, samples);
        foreach (Shape shape in WideNet)
            foreach (int threads in new[] { 1, cores })
                Report<float>(shape, threads == 1 ? null : pool, "float32", minSeconds, samples);
        foreach (Shape shape in BatchTen)
            foreach (int threads in new[] { 1, cores })
                Report<float>(shape, threads == 1 ? null : pool, "float32", minSeconds, samples);
        foreach (Shape shape in SmallNet)
            Report<float>(shape, pool, "float32", minSeconds, samples);

        if (peer) ComparePeer(square, pool, ours, minSeconds, samples);
        if (peer && ThreadCpuClock.IsAvailable) CompareCpuTime(square, quick ? 3 : 5);
        return 0;
    }

    // OpenBLAS timed the way CpuSeconds times us: one product per sample, best thread CPU time kept.
    private const string OpenBlasCpuTime = """
        import sys, time, numpy as np
        n, dtype, samples = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        A = np.random.default_rng(0).random((n, n)).astype(dtype)
        B = np.random.default_rng(1).random((n, n)).astype(dtype)
        C = np.empty((n, n), dtype)
        np.matmul(A, B, out=C)
        best = 1e9
        for _ in range(samples):
            t = time.thread_time(); np.matmul(A, B, out=C); best = min(best, time.thread_time() - t)
        print(2.0 * n ** 3 / best / 1e9)
        """;

    /// <summary>
    /// Single-threaded 2048³, ours and OpenBLAS's, by thread CPU time: on a machine shared with other work this
    /// is the comparison that preemption does not distort (it still shares caches and memory bandwidth).
    /// </summary>
    private static void CompareCpuTime(Shape square, int samples)
    {
        Console.WriteLine();
        Console.WriteLine("# one thread, 2048³, timed by thread CPU time (not distorted by preemption), ours as a ratio of OpenBLAS");
        Console.WriteLine();
        Console.WriteLine("| dtype | OpenBLAS GFLOP/s | ours GFLOP/s | ours / OpenBLAS |");
        Console.WriteLine("|---|---|---|---|");
        var oneThread = new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "1", ["OMP_NUM_THREADS"] = "1" };
        foreach (string dtype in new[] { "float32", "float64" })
        {
            string? output = PeerRunner.RunCode(OpenBlasCpuTime, [$"{square.M}", dtype, $"{samples}"], oneThread, TimeSpan.FromMinutes(3));
            if (output is null || !double.TryParse(output.Trim(), CultureInfo.InvariantCulture, out double theirs)) continue;
            double seconds = dtype == "float32" ? CpuSeconds<float>(square, samples) : CpuSeconds<double>(square, samples);
            double mine = square.Flops / seconds / 1e9;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {dtype} | {theirs:F1} | {mine:F1} | {mine / theirs:P0} |"));
        }
    }

    private static double CpuSeconds<T>(Shape s, int samples)
        where T : unmanaged, INumber<T>
    {
        T[] a = Random<T>(s.M * s.K, 1), b = Random<T>(s.K * s.N, 2), c = new T[s.M * s.N];
        Gemm.Multiply(false, false, s.M, s.N, s.K, T.One, a, s.K, b, s.N, T.Zero, c, s.N);
        double best = double.MaxValue;
        for (int sample = 0; sample < samples; sample++)
        {
            double start = ThreadCpuClock.Seconds();
            Gemm.Multiply(false, false, s.M, s.N, s.K, T.One, a, s.K, b, s.N, T.Zero, c, s.N);
            best = Math.Min(best, ThreadCpuClock.Seconds() - start);
        }
        return best;
    }

    /// <summary>2048³ in float32 and float64 on 1 and 2 threads; keeps the best figure seen per configuration.</summary>
    private static void MeasureSquare(Shape square, ComputePool pool, Dictionary<(string DType, int Threads), double> ours,
        double minSeconds, int samples)
    {
        foreach (int threads in new[] { 1, pool.Threads })
        {
            Keep(("float32", threads), Report<float>(square, threads == 1 ? null : pool, "float32", minSeconds, samples));
            Keep(("float64", threads), Report<double>(square, threads == 1 ? null : pool, "float64", minSeconds, samples));
        }

        void Keep((string, int) key, double rate) => ours[key] = Math.Max(rate, ours.GetValueOrDefault(key));
    }

    private static double Report<T>(Shape shape, ComputePool? pool, string dtype, double minSeconds, int samples)
        where T : unmanaged, INumber<T>
    {
        double seconds = BestSeconds<T>(shape, pool, minSeconds, samples);
        double rate = shape.Flops / seconds / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {shape.Name} {shape.M}×{shape.N}×{shape.K} | {shape.Form} | {dtype} | {pool?.Threads ?? 1} | {rate:F1} | {seconds * 1e6:F2} |"));
        return rate;
    }

    /// <summary>Seconds per call: the best of <paramref name="samples"/> timed runs of enough calls to fill minSeconds.</summary>
    private static double BestSeconds<T>(Shape s, ComputePool? pool, double minSeconds, int samples)
        where T : unmanaged, INumber<T>
    {
        int lda = s.TransposeA ? s.M : s.K, ldb = s.TransposeB ? s.K : s.N;
        T[] a = Random<T>(s.M * s.K, 1), b = Random<T>(s.K * s.N, 2), c = new T[s.M * s.N];
        T alpha = T.One, beta = T.Zero;
        void Call() => Gemm.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, alpha, a, lda, b, ldb, beta, c, s.N, pool);

        Call();
        var watch = Stopwatch.StartNew();
        Call();
        int reps = (int)Math.Clamp(minSeconds / Math.Max(watch.Elapsed.TotalSeconds, 1e-7), 1, 10_000_000);
        double best = double.MaxValue;
        for (int sample = 0; sample < samples; sample++)
        {
            watch.Restart();
            for (int r = 0; r < reps; r++) Call();
            best = Math.Min(best, watch.Elapsed.TotalSeconds / reps);
        }
        return best;
    }

    private static T[] Random<T>(int length, int seed)
        where T : unmanaged, INumber<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++) values[i] = T.CreateTruncating(random.NextDouble());
        return values;
    }

    private static void ComparePeer(Shape square, ComputePool pool, Dictionary<(string DType, int Threads), double> ours,
        double minSeconds, int samples)
    {
        int cores = pool.Threads;
        Console.WriteLine();
        // Sampled as ours are: one product per sample (a 2048³ product outlasts --min-time), best kept.
        string? output = PeerRunner.Run("gemm_peak.py",
            ["--libs", "numpy", "--sizes", "2048", "--threads", $"1,{cores}", "--min-time", "0.01", "--samples", $"{samples}"],
            TimeSpan.FromMinutes(5));
        if (output is null)
        {
            Console.WriteLine("# OpenBLAS peer skipped: /usr/bin/python3 with numpy, or shared/peers/gemm_peak.py, not found.");
            return;
        }
        // Measured again after the peer, so that a burst of load from other processes during either of our runs
        // does not decide the ratio; the ratio uses our better figure.
        Console.WriteLine("# ours again, after the peer run");
        Console.WriteLine();
        Console.WriteLine("| shape | form | dtype | threads | GFLOP/s | µs/call |");
        Console.WriteLine("|---|---|---|---|---|---|");
        MeasureSquare(square, pool, ours, minSeconds, samples);
        Console.WriteLine();
        Console.WriteLine("# OpenBLAS via numpy (shared/peers/gemm_peak.py), 2048³, ours (best of both runs) as a ratio of it");
        Console.WriteLine();
        Console.WriteLine("| dtype | threads | OpenBLAS core | OpenBLAS GFLOP/s | ours GFLOP/s | ours / OpenBLAS |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (string line in output.Split('\n'))
        {
            // "| numpy 2.x | ZEN | 2 | float32 | 388.1 (380.2) |"
            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 7 || !cells[1].StartsWith("numpy", StringComparison.Ordinal)) continue;
            if (!int.TryParse(cells[3], CultureInfo.InvariantCulture, out int threads)) continue;
            string best = cells[5].Split(' ')[0];
            if (!double.TryParse(best, CultureInfo.InvariantCulture, out double theirs)) continue;
            if (!ours.TryGetValue((cells[4], threads), out double mine)) continue;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {cells[4]} | {threads} | {cells[2]} | {theirs:F1} | {mine:F1} | {mine / theirs:P0} |"));
        }
    }
}
