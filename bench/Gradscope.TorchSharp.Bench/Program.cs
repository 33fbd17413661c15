using System.Diagnostics;
using Gradscope.TorchSharp;
using Gradscope.TorchSharp.Example;
using TorchSharp;
using static TorchSharp.torch;

// Overhead of the monitor's `standard` probes over a plain TorchSharp training step, for the example's MLP and conv
// net, in one invocation: dotnet run -c Release --project bench/Gradscope.TorchSharp.Bench [-- steps]
int steps = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 300;
torch.set_num_threads(1);
Console.WriteLine($"steps per measurement: {steps}, batch 20, torch threads 1, rounds alternate plain/monitored, median of 5");
foreach (var name in new[] { "sigmoid-mlp", "sigmoid-conv" })
{
    var plain = new List<double>();
    var monitored = new List<double>();
    for (int round = 0; round < 6; round++)
    {
        double p = Time(name, steps, monitor: false), m = Time(name, steps, monitor: true);
        if (round == 0) continue; // warm-up
        plain.Add(p);
        monitored.Add(m);
    }
    double a = Median(plain), b = Median(monitored);
    Console.WriteLine($"{name,-14} plain {a * 1e3:0.000} ms/step   standard probes {b * 1e3:0.000} ms/step   overhead {100 * (b / a - 1):+0.0;-0.0}%");
}

static double Time(string name, int steps, bool monitor)
{
    torch.manual_seed(1);
    using var model = Models.Create(name);
    using var optimizer = optim.SGD(model.parameters(), 0.1);
    bool images = Models.IsConvolutional(name);
    var x = images ? rand(20, 1, 28, 28) : rand(20, 784);
    var y = randint(0, 10, [20], dtype: ScalarType.Int64);
    string dir = Path.Combine(Path.GetTempPath(), $"gradscope-bench-{Guid.NewGuid():N}");
    MonitorScope? scope = monitor ? GradscopeMonitor.Attach(model, new MonitorOptions { RunDirectory = dir, Probes = Environment.GetEnvironmentVariable("PROBES") ?? "standard" }) : null;
    long inStep = 0;
    var clock = Stopwatch.StartNew();
    for (int s = 0; s < steps; s++)
    {
        using var d = NewDisposeScope();
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.call(x), y);
        loss.backward();
        long t0 = Stopwatch.GetTimestamp();
        scope?.Step(loss);
        inStep += Stopwatch.GetTimestamp() - t0;
        optimizer.step();
    }
    double seconds = clock.Elapsed.TotalSeconds / steps;
    if (monitor && Environment.GetEnvironmentVariable("STEP_TIME") is not null) Console.WriteLine($"  in Step: {Stopwatch.GetElapsedTime(0, inStep).TotalMilliseconds / steps:0.000} ms/step of {seconds * 1e3:0.000}");
    scope?.Dispose();
    if (Directory.Exists(dir)) Directory.Delete(dir, true);
    return seconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
