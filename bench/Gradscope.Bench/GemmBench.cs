using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Gradscope.Numerics;

namespace Gradscope.Bench;

/// <summary>
/// <c>gemm [--quick] [--no-peer]</c>: GFLOP/s of <see cref="Gemm.Multiply{T}"/> (2·m·n·k flops per product, best
/// of several timed samples after a warm-up) at 2048³, at the wide-net shapes of a [784,1000,…] MLP at batch 100,
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
        double minSeconds = quick ? 0.1 : 0.3;
        int samples = quick ? 3 : 5;
        int cores = Math.Max(2, Math.Min(Environment.ProcessorCount, 2));
        using var pool = new ComputePool(cores);
        var square = new Shape("square", false, false, 2048, 2048, 2048);
        var ours = new Dictionary<(string DType, int Threads), double>();

        Console.WriteLine($"# Gemm.Multiply, {Environment.ProcessorCount} logical cores, best of {samples} samples");
        Console.WriteLine();
        Console.WriteLine("| shape | form | dtype | threads | GFLOP/s | µs/call |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (int threads in new[] { 1, cores })
        {
            ours[("float32", threads)] = Report<float>(square, threads == 1 ? null : pool, "float32", minSeconds, samples);
            ours[("float64", threads)] = Report<double>(square, threads == 1 ? null : pool, "float64", minSeconds, samples);
        }
        foreach (Shape shape in WideNet)
            foreach (int threads in new[] { 1, cores })
                Report<float>(shape, threads == 1 ? null : pool, "float32", minSeconds, samples);
        foreach (Shape shape in SmallNet)
            Report<float>(shape, pool, "float32", minSeconds / 3, samples);

        if (peer) ComparePeer(ours, cores);
        return 0;
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

    private static void ComparePeer(Dictionary<(string DType, int Threads), double> ours, int cores)
    {
        Console.WriteLine();
        string? output = PeerRunner.Run("gemm_peak.py",
            ["--libs", "numpy", "--sizes", "2048", "--threads", $"1,{cores}", "--min-time", "0.3", "--samples", "3"],
            TimeSpan.FromMinutes(5));
        if (output is null)
        {
            Console.WriteLine("# OpenBLAS peer skipped: /usr/bin/python3 with numpy, or shared/peers/gemm_peak.py, not found.");
            return;
        }
        Console.WriteLine("# OpenBLAS via numpy (shared/peers/gemm_peak.py), 2048³, ours as a ratio of it");
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
