using System.Diagnostics;
using System.Globalization;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Training;

namespace Gradscope.Bench;

/// <summary>
/// Recurrent training throughput (sequences/s) beside PyTorch in the same invocation, on the peer's workload
/// (<c>shared/peers/torch_rnn_quick.py</c>): one RNN/LSTM/GRU layer over T steps, a linear read-out of the last
/// hidden state, squared error against a random target, plain SGD at η = 0.01, uniform random inputs, batches in
/// order, float32, both at one thread; best of three passes after warming up. The issue's sizes: input 2, H = 128,
/// T = 100, B = 32 (the adding task's shape) and input 28, H = 128, T = 28, B = 64 (digits read row by row).
/// </summary>
internal static class RecurrentBench
{
    private static readonly (int Inputs, int Hidden, int Steps, int Batch, int Sequences)[] Shapes =
    [
        (2, 128, 100, 32, 3_200),
        (28, 128, 28, 64, 6_400),
    ];

    public static int Run(string[] args)
    {
        bool peers = !args.Contains("--no-peer");
        string[] cells = Array.IndexOf(args, "--cells") is int c and >= 0 && c + 1 < args.Length ? args[c + 1].Split(',') : ["lstm", "gru", "rnn"];
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
        var rows = new List<(string What, double Ours, double? Torch)>();
        foreach (string cell in cells)
            foreach (var (inputs, hidden, steps, batch, sequences) in Shapes)
            {
                string what = $"{cell} I={inputs} H={hidden} T={steps} B={batch}";
                double ours = Measure(cell, inputs, hidden, steps, batch, sequences);
                Console.WriteLine($"gradscope {what}, float32, 1 thread: {ours,10:N1} sequences/s");
                double? torch = peers ? Peer(cell, inputs, hidden, steps, batch, sequences) : null;
                rows.Add((what, ours, torch));
            }
        if (!peers) return 0;
        if (rows.All(r => r.Torch is null))
        {
            Console.WriteLine("peer: /usr/bin/python3 with torch not found (apt-get install -y python3-torch python3-numpy libopenblas0-pthread)");
            return 0;
        }
        Console.WriteLine("ratios (same invocation; target ≥ 1× PyTorch for the LSTM, aim 3×):");
        foreach (var (what, ours, torch) in rows)
            Console.WriteLine(torch is { } t ? $"  {what}: {ours / t:0.00}× ({ours:N1} vs {t:N1} sequences/s)" : $"  {what}: peer unavailable");
        return 0;
    }

    /// <summary>Sequences per second of our engine on the peer's workload: best of three passes after 1.5 s of warm-up.</summary>
    private static double Measure(string cell, int inputs, int hidden, int steps, int batch, int count)
    {
        var rng = new Rng(1);
        var x = new float[count * steps * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var y = new float[count];
        for (int i = 0; i < y.Length; i++) y[i] = (float)rng.NextDouble();
        var data = new Dataset<float>("random", steps * inputs, 1, x, y) { Steps = steps };
        var spec = new NetworkSpec
        {
            Layers = [inputs, hidden, 1], Activation = "tanh", Cost = "quadratic", OutputActivation = "identity",
            Init = "standard-uniform", BiasInit = "zero", Recurrent = new RecurrentSpec { Cell = cell, Steps = steps },
        };
        var network = Network<float>.Create(spec, 1);
        using var trainer = new Trainer<float>(network, new TrainingOptions { Eta = 0.01, BatchSize = batch, Threads = 1, Optimizer = "sgd", Lambda = 0 });
        int[] order = [.. Enumerable.Range(0, count)];
        void Pass()
        {
            for (int start = 0; start + batch <= count; start += batch) trainer.TrainBatch(data, order.AsSpan(start, batch));
        }
        var warm = Stopwatch.StartNew();
        do Pass(); while (warm.Elapsed.TotalSeconds < 1.5);
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++)
        {
            var clock = Stopwatch.StartNew();
            Pass();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return count / batch * batch / best;
    }

    private static double? Peer(string cell, int inputs, int hidden, int steps, int batch, int count)
    {
        string[] args = [cell, .. new[] { inputs, hidden, steps, batch, count, 1 }.Select(v => v.ToString(CultureInfo.InvariantCulture))];
        string? output = PeerRunner.Run("torch_rnn_quick.py", args, TimeSpan.FromMinutes(10));
        if (output is null) return null;
        Console.Write("peer: " + output);
        // "…: 1,234.5 sequences/s"
        var words = output.Trim().Split(' ');
        int at = Array.IndexOf(words, "sequences/s");
        return at > 0 && double.TryParse(words[at - 1].Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }
}
