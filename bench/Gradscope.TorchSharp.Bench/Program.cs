using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Gradscope.TorchSharp;
using Gradscope.TorchSharp.Example;
using TorchSharp;
using static TorchSharp.torch;

// Overhead of the monitor's `standard` probes over a plain TorchSharp training step, for the example's MLP and conv
// net, in one invocation: dotnet run -c Release --project bench/Gradscope.TorchSharp.Bench [-- rounds]
// A plain model and a monitored one (same seed, same batch) are built once, warmed up, then timed in alternating
// blocks of steps, the order swapped every round, so the load of a shared machine falls on both alike; the overhead
// is the median over rounds of each round's ratio, in wall-clock and in process CPU time.
// For a profiler, one model and one mode alone: … -- profile sigmoid-conv plain|minimal|standard|full [steps]
var invariant = CultureInfo.InvariantCulture;
torch.set_num_threads(1);
if (args.Length >= 3 && args[0] == "profile")
{
    int steps = args.Length > 3 ? int.Parse(args[3], invariant) : 1000;
    using var run = new Run(args[1], args[2] == "plain" ? null : args[2]);
    run.Steps(Math.Max(1, steps / 5)); // warm-up: tiered JIT, libtorch's first calls
    var (wall, cpu) = run.Steps(steps);
    Console.WriteLine($"{args[1]} {args[2]}: {wall * 1e3:0.000} ms/step, CPU {cpu * 1e3:0.000} ms/step over {steps} steps");
    return;
}

int rounds = args.Length > 0 ? int.Parse(args[0], invariant) : 15;
Console.WriteLine($"batch 20, torch threads 1; per model {rounds} rounds of a plain and a monitored block (order alternating), after 3 warm-up rounds; median of the rounds");
foreach (var (name, block) in new[] { ("sigmoid-mlp", 200), ("sigmoid-conv", 20) })
{
    using var plain = new Run(name, null);
    using var monitored = new Run(name, "standard");
    var wall = (Plain: new List<double>(), Monitored: new List<double>(), Ratio: new List<double>());
    var cpu = (Plain: new List<double>(), Monitored: new List<double>(), Ratio: new List<double>());
    for (int round = -3; round < rounds; round++)
    {
        (double Wall, double Cpu) p, m;
        if ((round & 1) == 0) (p, m) = (plain.Steps(block), monitored.Steps(block));
        else (m, p) = (monitored.Steps(block), plain.Steps(block));
        if (round < 0) continue;
        wall.Plain.Add(p.Wall);
        wall.Monitored.Add(m.Wall);
        wall.Ratio.Add(m.Wall / p.Wall);
        cpu.Plain.Add(p.Cpu);
        cpu.Monitored.Add(m.Cpu);
        cpu.Ratio.Add(m.Cpu / p.Cpu);
    }
    Console.WriteLine($"{name,-13} {block,3} steps/block   plain {Median(wall.Plain) * 1e3:0.000} ms/step   standard {Median(wall.Monitored) * 1e3:0.000} ms/step   overhead {Percent(wall.Ratio)}" +
                      $"   | CPU plain {Median(cpu.Plain) * 1e3:0.000}   standard {Median(cpu.Monitored) * 1e3:0.000}   overhead {Percent(cpu.Ratio)}");
}

static string Percent(List<double> ratios) => (100 * (Median(ratios) - 1)).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "%";

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

/// <summary>One model training on a fixed batch, plain or monitored with a probe preset, timed a block of steps at a time.</summary>
internal sealed class Run : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _x, _y;
    private readonly MonitorScope? _scope;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"gradscope-bench-{Guid.NewGuid():N}");

    public Run(string name, string? probes)
    {
        torch.manual_seed(1);
        _model = Models.Create(name);
        _optimizer = optim.SGD(_model.parameters(), 0.1);
        _x = Models.IsConvolutional(name) ? rand(20, 1, 28, 28) : rand(20, 784);
        _y = randint(0, 10, [20], dtype: ScalarType.Int64);
        if (probes is not null) _scope = GradscopeMonitor.Attach(_model, new MonitorOptions { RunDirectory = _directory, Probes = probes });
    }

    /// <summary>Trains <paramref name="steps"/> steps; seconds per step, wall-clock and CPU time of the whole process.</summary>
    public (double Wall, double Cpu) Steps(int steps)
    {
        double cpu0 = ProcessCpuSeconds();
        long t0 = Stopwatch.GetTimestamp();
        for (int s = 0; s < steps; s++)
        {
            using var d = NewDisposeScope();
            _optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(_model.call(_x), _y);
            loss.backward();
            _scope?.Step(loss);
            _optimizer.step();
        }
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return (wall / steps, (ProcessCpuSeconds() - cpu0) / steps);
    }

    public void Dispose()
    {
        _scope?.Dispose();
        _model.Dispose();
        _optimizer.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, true);
    }

    // Process.TotalProcessorTime reads /proc in clock ticks (10 ms); a block needs the nanosecond clock.
    private static double ProcessCpuSeconds()
    {
        if (clock_gettime(2 /* CLOCK_PROCESS_CPUTIME_ID */, out var t) != 0) return double.NaN;
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
