using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Gradscope.TorchSharp;
using Gradscope.TorchSharp.Example;
using TorchSharp;
using static TorchSharp.torch;

// Overhead of the monitor's `standard` probes over a plain TorchSharp training step, for the example's MLP and conv
// net, in one invocation: dotnet run -c Release --project bench/Gradscope.TorchSharp.Bench [-- scale [model…]]
// (scale multiplies the number of rounds). A plain model and a monitored one (same seed, same batch) are built once,
// warmed up, then timed in alternating blocks of steps, the order swapped every round, so the load of a shared
// machine falls on both alike; the overhead is the median over rounds of each round's ratio, in wall-clock and in
// process CPU time (the run record's writer thread included).
// For a profiler, one model and one mode alone: … -- profile sigmoid-conv plain|minimal|standard|full [steps]
var invariant = CultureInfo.InvariantCulture;
torch.set_num_threads(1);
if (args.Length >= 3 && args[0] == "profile")
{
    int steps = args.Length > 3 ? int.Parse(args[3], invariant) : 1000;
    using var run = new Run(args[1], args[2] == "plain" ? null : args[2]);
    run.Steps(Math.Max(1, steps / 5)); // warm-up: tiered JIT, libtorch's first calls
    long allocated = GC.GetTotalAllocatedBytes(precise: true);
    int collections = GC.CollectionCount(0);
    var (wall, cpu) = run.Steps(steps);
    Console.WriteLine($"{args[1]} {args[2]}: {wall * 1e3:0.000} ms/step (scope.Step {run.StepSeconds / steps * 1e3:0.000}), CPU {cpu * 1e3:0.000} ms/step over {steps} steps; " +
                      $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / steps} managed bytes allocated a step, {GC.CollectionCount(0) - collections} gen-0 collections");
    return;
}

// Short blocks (two update-ratio steps in each), many rounds: a load spike spoils a few rounds, not the figure.
// "sigmoid-mlp/autograd": the same MLP with every activation's gradient kept by autograd (retain_grad) instead of
// formed as δ^{l+1} W^{l+1} by the monitor, to show what that saves in the same invocation.
var models = new[] { (Name: "sigmoid-mlp", Block: 20, Rounds: 150), (Name: "sigmoid-mlp/autograd", Block: 20, Rounds: 150), (Name: "sigmoid-conv", Block: 10, Rounds: 60) };
double scale = args.Length > 0 ? double.Parse(args[0], invariant) : 1;
Console.WriteLine("batch 20, torch threads 1; per model, rounds of a plain and a monitored block (order alternating) after 5 warm-up rounds;");
Console.WriteLine("overhead = median over rounds of monitored/plain; p10 = the 10th percentile of each (the least disturbed blocks)");
foreach (var (name, block, baseRounds) in models.Where(m => args.Length < 2 || args.Skip(1).Contains(m.Name)))
{
    int rounds = Math.Max(3, (int)(baseRounds * scale));
    string model = name.Split('/')[0];
    using var plain = new Run(model, null);
    AppContext.SetSwitch("Gradscope.TorchSharp.AutogradActivationGradients", name.EndsWith("/autograd", StringComparison.Ordinal));
    using var monitored = new Run(model, "standard");
    AppContext.SetSwitch("Gradscope.TorchSharp.AutogradActivationGradients", false);
    var wall = (Plain: new List<double>(), Monitored: new List<double>(), Ratio: new List<double>());
    var cpu = (Plain: new List<double>(), Monitored: new List<double>(), Ratio: new List<double>());
    for (int round = -5; round < rounds; round++)
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
    Console.WriteLine($"{name,-20} {rounds} rounds of {block} steps");
    Console.WriteLine($"  wall  plain {Median(wall.Plain) * 1e3:0.000} ms/step   standard {Median(wall.Monitored) * 1e3:0.000} ms/step   overhead {Percent(wall.Ratio)}" +
                      $"   (p10 {Quantile(wall.Plain, 0.1) * 1e3:0.000} → {Quantile(wall.Monitored, 0.1) * 1e3:0.000}, {Change(wall)})");
    Console.WriteLine($"  CPU   plain {Median(cpu.Plain) * 1e3:0.000} ms/step   standard {Median(cpu.Monitored) * 1e3:0.000} ms/step   overhead {Percent(cpu.Ratio)}" +
                      $"   (p10 {Quantile(cpu.Plain, 0.1) * 1e3:0.000} → {Quantile(cpu.Monitored, 0.1) * 1e3:0.000}, {Change(cpu)})");
}

static string Change((List<double> Plain, List<double> Monitored, List<double> Ratio) t) =>
    (100 * (Quantile(t.Monitored, 0.1) / Quantile(t.Plain, 0.1) - 1)).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "%";

static double Quantile(List<double> values, double q) => values.Order().ElementAt((int)(q * (values.Count - 1)));

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

    /// <summary>Seconds spent inside scope.Step in the last <see cref="Steps"/> call.</summary>
    public double StepSeconds { get; private set; }

    /// <summary>Trains <paramref name="steps"/> steps; seconds per step, wall-clock and CPU time of the whole process.</summary>
    public (double Wall, double Cpu) Steps(int steps)
    {
        long inStep = 0;
        double cpu0 = ProcessCpuSeconds();
        long t0 = Stopwatch.GetTimestamp();
        for (int s = 0; s < steps; s++)
        {
            using var d = NewDisposeScope();
            _optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(_model.call(_x), _y);
            loss.backward();
            long s0 = Stopwatch.GetTimestamp();
            _scope?.Step(loss);
            inStep += Stopwatch.GetTimestamp() - s0;
            _optimizer.step();
        }
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        StepSeconds = Stopwatch.GetElapsedTime(0, inStep).TotalSeconds;
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
