using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Probes;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Bench;

/// <summary>
/// Training throughput (examples/s) of the engine on the peers' networks and data (uniform random inputs,
/// one-hot targets, sigmoid + cross-entropy, plain SGD, batches in order), beside PyTorch and NumPy run in the same
/// invocation; and the cost of each probe preset measured every step.
/// </summary>
internal static class TrainBench
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        bool peers = !args.Contains("--no-peer");
        int smallN = quick ? 10_000 : 20_000, wideN = quick ? 1_000 : 3_000;
        Console.WriteLine($"load average: {LoadAverage()}");

        if (args.Contains("--probes")) return ProbeCost(smallN, rounds: 15);
        if (args.Contains("--small-only"))
        {
            // The small net alone, for a profiler.
            Console.WriteLine($"gradscope [784,30,30,30,10] B=10 float32, 1 thread: {Measure<float>([784, 30, 30, 30, 10], 10, smallN, threads: 1),12:N0} examples/s");
            return 0;
        }
        if (Array.IndexOf(args, "--probe-work") is int w and >= 0)
        {
            // The probes' own work alone, for a profiler: `bench train --probe-work standard`.
            string preset = w + 1 < args.Length ? args[w + 1] : "standard";
            var options = preset == "standard" ? ProbeOptions.FromPreset(preset) with { UpdateRatio = "every:1", Reference = "never" } : ProbeOptions.FromPreset(preset) with { Reference = "never" };
            Console.WriteLine($"{preset}: {IsolatedProbeNs(options):N0} ns a step");
            return 0;
        }
        double small32 = Measure<float>([784, 30, 30, 30, 10], 10, smallN, threads: 1);
        double small64 = Measure<double>([784, 30, 30, 30, 10], 10, smallN, threads: 1);
        double wide1 = Measure<float>([784, 1000, 1000, 1000, 10], 100, wideN, threads: 1);
        double wide2 = Measure<float>([784, 1000, 1000, 1000, 10], 100, wideN, threads: 2);
        Console.WriteLine($"gradscope [784,30,30,30,10] B=10 float32, 1 thread: {small32,12:N0} examples/s");
        Console.WriteLine($"gradscope [784,30,30,30,10] B=10 float64, 1 thread: {small64,12:N0} examples/s");
        Console.WriteLine($"gradscope [784,1000,1000,1000,10] B=100 float32, 1 thread: {wide1,8:N0} examples/s");
        Console.WriteLine($"gradscope [784,1000,1000,1000,10] B=100 float32, 2 threads: {wide2,7:N0} examples/s");

        ProbeCost(smallN, rounds: 15);

        if (!peers) return 0;
        Console.WriteLine();
        string n = smallN.ToString(CultureInfo.InvariantCulture), wn = wideN.ToString(CultureInfo.InvariantCulture);
        double? torchSmall = Peer("torch_mlp_quick.py", ["784,30,30,30,10", "10", n, "1"]);
        double? numpyBatch = Peer("numpy_mlp_quick.py", ["784,30,30,30,10", "10", n, "batch"]);
        double? numpyLoop = Peer("numpy_mlp_quick.py", ["784,30,30,30,10", "10", quick ? "2000" : "5000", "per-example"]);
        double? torchWide = Peer("torch_mlp_quick.py", ["784,1000,1000,1000,10", "100", wn, "1"]);
        if (torchSmall is null && numpyBatch is null)
        {
            Console.WriteLine("peers: /usr/bin/python3 with numpy/torch not found (apt-get install -y python3-torch python3-numpy libopenblas0-pthread)");
            return 0;
        }
        Console.WriteLine("ratios (same invocation):");
        Ratio("small net vs NumPy mini-batch (target ≥ 3×)", small32, numpyBatch);
        Ratio("small net vs PyTorch (aim 10×)", small32, torchSmall);
        Ratio("small net vs NumPy per-example (Nielsen's loop)", small32, numpyLoop);
        Ratio("wide net (2 threads) vs PyTorch (target ≥ 0.75×, aim ≥ 1×)", wide2, torchWide);
        return 0;
    }

    /// <summary>
    /// The cost of each probe preset measured every step, as overhead over the same training without probes. All
    /// configurations train one network with one workspace, each attaching its probes for its own passes: separate
    /// networks differ by a few percent from memory layout alone, more than the effect measured. Passes rotate
    /// through the configurations (so drifts in the machine's speed hit them all) and the best pass of each counts.
    /// A second "no probes" line shows the noise floor; "measuring only" sends the records nowhere, so its difference
    /// to the run-directory line is the cost of recording.
    /// </summary>
    private static int ProbeCost(int count, int rounds)
    {
        Console.WriteLine();
        Console.WriteLine($"probe cost, [784,30,30,30,10] B=10 float32, one network; passes rotated, best of {rounds} each:");
        var minimal = ProbeOptions.FromPreset("minimal") with { Reference = "never" };
        var standard = ProbeOptions.FromPreset("standard") with { UpdateRatio = "every:1", Reference = "never" };
        var configs = new (string Name, ProbeOptions? Options, bool Record)[]
        {
            ("no probes", null, false),
            ("no probes again (noise floor)", null, false),
            ("minimal every step, measuring only", minimal, false),
            ("minimal every step (norms, ‖δ‖, gains and factors, non-finite check), records to a run directory", minimal, true),
            ("standard every step, measuring only", standard, false),
            ("standard every step (+ σ' stats, saturation, dead units, activation stats, weight norms, update ratio), records to a run directory", standard, true),
            ("standard preset, reference-set gradient and noise log+every:1000 (Nielsen's 1,000 images: about 10% alone at B=10), run directory", ProbeOptions.FromPreset("standard"), true),
            ("standard as `gradscope train` ships it for 30 epochs of 50,000 (thinned to ~2,000 measurements, reference passes ≤ 2%), run directory",
                ProbeOptions.FromPreset("standard").ThinnedFor(150_000).WithReferenceBudget(10), true),
        };
        using var setup = new Setup<float>([784, 30, 30, 30, 10], 10, count, 1);
        var probes = configs.Select(c => c.Options is null ? null : setup.Probes(c.Options, c.Record)).ToArray();
        var warm = Stopwatch.StartNew();
        do
            for (int i = 0; i < configs.Length; i++) setup.Time(probes[i]);
        while (warm.Elapsed.TotalSeconds < 3);
        var best = Enumerable.Repeat(double.MaxValue, configs.Length).ToArray();
        for (int round = 0; round < rounds; round++)
            for (int k = 0; k < configs.Length; k++)
            {
                int i = (k + round) % configs.Length;
                best[i] = Math.Min(best[i], setup.Time(probes[i]));
            }
        for (int i = 0; i < configs.Length; i++)
        {
            Console.WriteLine($"  {configs[i].Name}: {count / best[i]:N0} examples/s" + (i == 0 ? "" : $", overhead {100 * (best[i] / best[0] - 1):0.0}%"));
            probes[i]?.Dispose();
        }

        // The probes' own work, without training around it: steady, where the overheads above carry the machine's noise.
        double stepNs = best[0] / (count / 10) * 1e9;
        Console.WriteLine($"probe work per step in isolation (same net and batch, one fixed backprop trace; the bare step above: {stepNs:N0} ns):");
        foreach (var (name, options) in new[] { ("minimal", minimal), ("standard", standard) })
        {
            double ns = IsolatedProbeNs(options);
            Console.WriteLine($"  {name}: {ns:N0} ns = {100 * ns / stepNs:0.0}% of the bare step");
        }
        return 0;
    }

    /// <summary>
    /// Nanoseconds a step for a probe set's calls (step start, every layer's trace, the optimiser's norms, step end)
    /// on one backprop of [784,30,30,30,10] at batch 10, records discarded; best of five 1-second blocks. The norms
    /// that SGD and backprop sum for the probes in their own passes come with the trace, as in training.
    /// </summary>
    private static double IsolatedProbeNs(ProbeOptions options)
    {
        int[] sizes = [784, 30, 30, 30, 10];
        var rng = new Rng(2);
        var x = new float[10 * sizes[0]];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var data = Dataset<float>.Classification("random", sizes[0], x, [.. Enumerable.Range(0, 10)], sizes[^1]);
        var network = Network<float>.Create(new NetworkSpec { Layers = sizes, Activation = "sigmoid", Cost = "cross-entropy" }, 1);
        var ws = new Workspace<float>(network, 10);
        ws.Load(data, 0, 10);
        Backprop.Forward(network, ws, 10, null, ForwardMode.Training);
        // One backward pass with the probes attached, as in training: backprop sums ‖δ‖ for them (their declared needs),
        // and the views below carry those sums.
        var probes = new ProbeSet<float>(network, options, new DiscardSink());
        var first = new StepInfo(0, 0, 10, double.NaN);
        probes.OnStepStarting(first);
        Backprop.Backward(network, ws, 10, null, [probes], first);
        probes.OnStepCompleted(first, network);
        var norms = Enumerable.Range(0, network.Parameters.Count).Select(p => new UpdateNorms(1, 4, 0.01)).ToArray();
        long step = 1;
        void Block(int steps)
        {
            for (int k = 0; k < steps; k++, step++)
            {
                var info = new StepInfo(step, 0, 10, double.NaN);
                probes.OnStepStarting(info);
                for (int i = network.Depth - 1; i >= 0; i--)
                {
                    var layer = network.Layers[i];
                    var input = i == 0 ? ws.Input.AsSpan(0, 10 * layer.FanIn) : ws.Layers[i - 1].A.AsSpan(0, 10 * layer.FanIn);
                    var target = i == network.Depth - 1 ? ws.Target.AsSpan(0, 10 * layer.FanOut) : default;
                    probes.OnLayer(info, new LayerView<float>(layer, ws.Layers[i], 10, input, target, i == network.Depth - 1));
                }
                probes.OnUpdated(info, norms);
                probes.OnStepCompleted(info, network);
            }
        }
        if (Environment.GetEnvironmentVariable("GS_PROBE_STEPS") is { } fixedSteps)
        {
            // A fixed count, for counting instructions with `perf stat` (two counts' difference is per-step work).
            for (int k = 0; k < 50; k++) Block(1000);
            for (int k = int.Parse(fixedSteps, CultureInfo.InvariantCulture) / 1000; k > 0; k--) Block(1000);
            return double.NaN;
        }
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1.5) Block(1000);
        double best = double.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            var clock = Stopwatch.StartNew();
            long start = step;
            while (clock.Elapsed.TotalSeconds < 1) Block(1000);
            best = Math.Min(best, clock.Elapsed.TotalSeconds * 1e9 / (step - start));
        }
        return best;
    }

    private static void Ratio(string what, double ours, double? peer) =>
        Console.WriteLine(peer is { } p ? $"  {what}: {ours / p:0.00}× ({ours:N0} vs {p:N0} examples/s)" : $"  {what}: peer unavailable");

    private static double? Peer(string script, string[] args)
    {
        string? output = PeerRunner.Run(script, args, TimeSpan.FromMinutes(5));
        if (output is null) return null;
        Console.Write("peer: " + output);
        var words = output.Trim().Split(' ');
        int at = Array.IndexOf(words, "examples/s");
        return at > 0 && double.TryParse(words[at - 1].Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }

    /// <summary>Best of five passes over N random examples in order, after warming up.</summary>
    private static double Measure<T>(int[] sizes, int batch, int count, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var setup = new Setup<T>(sizes, batch, count, threads);
        double best = double.MaxValue;
        for (int r = 0; r < 5; r++) best = Math.Min(best, setup.Time());
        return count / best;
    }

    /// <summary>A network, its data and trainer, ready to time passes with or without probes.</summary>
    private sealed class Setup<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Dataset<T> _data;
        private readonly Network<T> _network;
        private readonly Trainer<T> _trainer;
        private readonly int[] _order;
        private readonly int _batch;

        public Setup(int[] sizes, int batch, int count, int threads)
        {
            var rng = new Rng(1);
            var x = new float[count * sizes[0]];
            for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
            var labels = new int[count];
            for (int i = 0; i < count; i++) labels[i] = rng.NextInt(sizes[^1]);
            _data = Dataset<T>.Classification("random", sizes[0], x, labels, sizes[^1]);
            _network = Network<T>.Create(new NetworkSpec { Layers = sizes, Activation = "sigmoid", Cost = "cross-entropy" }, 1);
            _trainer = new Trainer<T>(_network, new TrainingOptions { Eta = 0.1, BatchSize = batch, Threads = threads });
            _order = Enumerable.Range(0, count).ToArray();
            _batch = batch;
            // Warm up until tiered compilation has settled (tier-1 code with dynamic PGO), not just one pass.
            var warm = Stopwatch.StartNew();
            do Pass(); while (warm.Elapsed.TotalSeconds < 1.5);
        }

        /// <summary>Probes for this network, writing a run directory (deleted on dispose) or discarding their records.</summary>
        public BenchProbes<T> Probes(ProbeOptions options, bool record) => new(_network, _trainer.Options, _data, options, record);

        private void Pass()
        {
            for (int start = 0; start + _batch <= _order.Length; start += _batch) _trainer.TrainBatch(_data, _order.AsSpan(start, _batch));
        }

        /// <summary>
        /// Seconds for one pass over the data, with <paramref name="probes"/> attached for it. A run writer then
        /// finishes its records before the next pass, so its thread never runs into another configuration's time.
        /// </summary>
        public double Time(BenchProbes<T>? probes = null)
        {
            double seconds;
            using (probes is null ? null : _trainer.Attach(probes.Observer))
            {
                var clock = Stopwatch.StartNew();
                Pass();
                seconds = clock.Elapsed.TotalSeconds;
            }
            probes?.Settle();
            return seconds;
        }

        public void Dispose() => _trainer.Dispose();
    }

    /// <summary>A probe set and where its records go.</summary>
    private sealed class BenchProbes<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly RunWriter? _writer;
        private readonly string? _dir;

        public BenchProbes(Network<T> network, TrainingOptions training, Dataset<T> data, ProbeOptions options, bool record)
        {
            IMetricSink sink = new DiscardSink();
            if (record)
            {
                _dir = Path.Combine(Path.GetTempPath(), $"gradscope-bench-{Guid.NewGuid():N}");
                sink = _writer = RunWriter.Create(_dir, Gradscope.Experiments.RunInfos.For(new Gradscope.Experiments.ExperimentSpec { Network = network.Spec, Training = training, Probes = options }, new DataInfo("random", data.Count, 0, 1000), "bench"));
            }
            Observer = new ProbeSet<T>(network, options, sink, data);
        }

        public ProbeSet<T> Observer { get; }

        public void Settle() => _writer?.WaitUntilWritten();

        public void Dispose()
        {
            _writer?.Complete(RunStatus.Complete);
            if (_dir is not null) Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>Takes records and keeps none.</summary>
    private sealed class DiscardSink : IMetricSink
    {
        public long Count { get; private set; }
        public void Add(in MetricRecord record) => Count++;
        public void AddRange(ReadOnlySpan<MetricRecord> records) => Count += records.Length;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); }
        catch (IOException) { return "unknown"; }
    }
}
