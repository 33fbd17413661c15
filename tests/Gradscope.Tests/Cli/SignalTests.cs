using System.Diagnostics;

namespace Gradscope.Tests.Cli;

/// <summary>
/// kill -9 and SIGTERM at seeded random moments of <c>train</c> and <c>sweep</c>, end to end: afterwards every
/// command works on what is left, run.json says complete only of a run that is, and SIGTERM leaves no run saying running.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Train = ["train", "--layers", "784,16,10", "--train-size", "1500", "--test-size", "100", "--epochs", "4"];
    private static readonly string[] Sweep = ["sweep", "--depth", "1,2", "--train-size", "800", "--test-size", "100", "--epochs", "3", "--parallel", "2"];

    [Theory]
    [InlineData("KILL", 1)]
    [InlineData("KILL", 2)]
    [InlineData("TERM", 3)]
    [InlineData("TERM", 4)]
    public void Train_SignalledAtRandomPoint_LeavesAnHonestReadableRun(string signal, int seed) => Check(Train, signal, seed);

    [Theory]
    [InlineData("KILL", 5)]
    [InlineData("TERM", 6)]
    public void Sweep_SignalledAtRandomPoint_LeavesHonestReadableRuns(string signal, int seed) => Check(Sweep, signal, seed);

    private void Check(string[] args, string signal, int seed)
    {
        string work = Path.Combine(_dir, $"{signal}-{seed}");
        Directory.CreateDirectory(work);
        // Startup takes about a second; training the rest: the moments fall before, during and after training.
        int delay = new Random(seed).Next(700, 4500);
        int exit = RunAndSignal(work, args, signal, delay);
        if (signal == "TERM") Assert.True(exit is 0 or 143, $"SIGTERM after {delay} ms: exit {exit}");

        string runs = Path.Combine(work, "runs");
        var dirs = Directory.Exists(runs)
            ? Directory.GetDirectories(runs, "*", SearchOption.AllDirectories).Where(d => File.Exists(Path.Combine(d, RunFiles.Info))).ToList()
            : [];
        foreach (string dir in dirs)
        {
            var run = RunRecord.Load(dir);
            if (run.Info.Status == RunStatus.Complete)
                Assert.True(run.Epochs.Count == run.Epochs[^1].Epoch + 1 && run.Metrics.Count > 0, $"{dir} says complete but is not whole");
            if (signal == "TERM" && exit == 143) Assert.NotEqual(RunStatus.Running, run.Info.Status);
            foreach (string[] command in new[] { ["inspect", dir], ["diagnose", dir], ["export", dir], new[] { "report", dir } })
            {
                var r = CliRunner.Run(work, command);
                Assert.True(r.ExitCode is 0 or 1, $"{command[0]} after {signal} at {delay} ms: exit {r.ExitCode}: {r.Stderr}");
                Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);
            }
        }
    }

    private static int RunAndSignal(string work, string[] args, string signal, int delayMs)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Gradscope.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(delayMs))
        {
            if (signal == "KILL") process.Kill();
            else using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) kill.WaitForExit();
        }
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the process did not stop after the signal");
        _ = stdout.Result + stderr.Result;
        return process.ExitCode;
    }
}
