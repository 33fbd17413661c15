using System.Diagnostics;
using System.Globalization;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Training;

namespace Gradscope.Bench;

/// <summary>
/// <c>kfac [--steps N] [--every T] [--stats S] [--rank k]</c>: time per training step of K-FAC against plain SGD on
/// Nielsen's [784,30,30,30,30,10] sigmoid net at batch 10 (float32, one thread), best block of steps after a
/// warm-up, configurations taking turns; K-FAC (statistics every S steps, the 785-wide factor in rank-k form) at
/// the given inverse interval T and with the re-inversions left out (T beyond the run), so the amortised cost of the
/// refresh is the difference. Also times one low-rank refresh and one Cholesky inverse of a 785×785 factor.
/// </summary>
internal static class KfacBench
{
    public static int Run(string[] args)
    {
        int steps = Option(args, "--steps", 2000), every = Option(args, "--every", 100);
        int stats = Option(args, "--stats", 10), rank = Option(args, "--rank", 16);
        var rng = new Rng(1);
        var pixels = new float[1000 * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)rng.NextDouble();
        var labels = new int[1000];
        for (int i = 0; i < labels.Length; i++) labels[i] = rng.NextInt(10);
        var data = Dataset<float>.Classification("noise", 784, pixels, labels, 10);
        var spec = new NetworkSpec { Layers = [784, 30, 30, 30, 30, 10] };

        var times = Time(spec, data, steps,
            new TrainingOptions { Eta = 0.1 },
            new TrainingOptions { Eta = 0.1, Optimizer = "kfac", KfacInverseEvery = every, KfacStatsEvery = stats, KfacRank = rank },
            new TrainingOptions { Eta = 0.1, Optimizer = "kfac", KfacInverseEvery = int.MaxValue, KfacStatsEvery = stats, KfacRank = rank });
        double sgd = times[0], kfac = times[1], noInverse = times[2];
        // Rank ≥ 785 means the exact inverse in training, so there is no low-rank refresh to time.
        double inverse = TimeInverse(785, 0), lowRank = rank < 785 ? TimeInverse(785, rank) : double.NaN;

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "[784,30,30,30,30,10] batch 10, float32, 1 thread, {0} steps; K-FAC statistics every {1}, rank {2} above {3}",
            steps, stats, rank, Kfac<float>.LowRankThreshold));
        Console.WriteLine(string.Format(c, "  sgd                       {0,8:F1} µs/step", sgd));
        Console.WriteLine(string.Format(c, "  kfac, inverse every {0,-6}{1,8:F1} µs/step   {2:F2}× sgd (refresh amortised)", every, kfac, kfac / sgd));
        Console.WriteLine(string.Format(c, "  kfac, no re-inversion     {0,8:F1} µs/step   {1:F2}× sgd", noInverse, noInverse / sgd));
        if (rank < 785) Console.WriteLine(string.Format(c, "  one 785×785 rank-{0} refresh {1:F2} ms (÷ T = {2:F1} µs/step amortised)", rank, lowRank / 1000, lowRank / every));
        Console.WriteLine(string.Format(c, "  one 785×785 Cholesky inverse {0:F1} ms (what an exact refresh would cost)", inverse / 1000));
        return 0;
    }

    /// <summary>
    /// µs per step of each configuration: all trainers warm up first, then take turns (at least 5 rounds) in blocks of 10·T steps
    /// (whole inversion periods), and each keeps its best block, so a noisy neighbour on a shared machine
    /// inflates no figure more than another.
    /// </summary>
    private static double[] Time(NetworkSpec spec, Dataset<float> data, int steps, params TrainingOptions[] configurations)
    {
        var trainers = configurations.Select(o => new Trainer<float>(Network<float>.Create(spec, 1), o)).ToArray();
        int[] batch = new int[10];
        long[] step = new long[trainers.Length];
        void Steps(int t, int count)
        {
            for (int s = 0; s < count; s++, step[t]++)
            {
                for (int i = 0; i < batch.Length; i++) batch[i] = (int)((step[t] * 10 + i) % data.Count);
                trainers[t].TrainBatch(data, batch);
            }
        }
        for (int t = 0; t < trainers.Length; t++) Steps(t, Math.Max(200, steps / 4));
        int block = Math.Min(steps, 10 * Math.Min(configurations.Max(o => o.Optimizer == "kfac" && o.KfacInverseEvery < steps ? o.KfacInverseEvery : 20), 100));
        var best = Enumerable.Repeat(double.MaxValue, trainers.Length).ToArray();
        var clock = new Stopwatch();
        for (int round = 0; round < Math.Max(5, steps / block); round++)
            for (int t = 0; t < trainers.Length; t++)
            {
                clock.Restart();
                Steps(t, block);
                best[t] = Math.Min(best[t], clock.Elapsed.TotalMicroseconds / block);
            }
        foreach (var trainer in trainers) trainer.Dispose();
        return best;
    }

    /// <summary>µs of one refresh of an n×n factor (m = 100 recorded rows), exact (rank 0) or low-rank; best of 5, warm-started like training.</summary>
    private static double TimeInverse(int n, int rank)
    {
        var rng = new Rng(2);
        var x = new float[n * 100];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
        var factor = new KroneckerFactor<float>(n, 0.9, 10, rank);
        for (int s = 0; s < 10; s++) factor.Record(x.AsSpan(s * 10 * n, 10 * n), 10, n, appendOne: false);
        factor.Fold();
        factor.Invert(0.1);
        double best = double.MaxValue;
        for (int run = 0; run < 5; run++)
        {
            var clock = Stopwatch.StartNew();
            factor.Invert(0.1);
            best = Math.Min(best, clock.Elapsed.TotalMicroseconds);
        }
        return best;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
