using System.Diagnostics;

namespace Gradscope.Tests.Cli;

/// <summary>Runs the built gradscope CLI as a separate process, as a user would.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>A scheduler's variables in the environment the tests run in must not shard the CLI under test.</summary>
    private static readonly string[] SchedulerVariables =
        ["JOB_COMPLETION_INDEX", "GRADSCOPE_SHARDS", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_STEP"];

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, new Dictionary<string, string>(), args);

    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var running = Start(workingDirectory, environment, args);
        return running.Wait();
    }

    /// <summary>Starts the CLI without waiting, with <paramref name="environment"/> added to a scheduler-free environment.</summary>
    public static Running Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Gradscope.Cli.dll");
        Assert.True(File.Exists(dll), $"CLI not built next to the tests: {dll}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string name in SchedulerVariables) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start)!;
        return new Running(process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync(), string.Join(' ', args));
    }

    public sealed class Running(Process process, Task<string> stdout, Task<string> stderr, string command) : IDisposable
    {
        public Process Process => process;

        public Result Wait()
        {
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"gradscope {command} did not finish in 5 minutes");
            }
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }

        /// <summary>Kills the process as a scheduler's preemption would: at once, without a chance to tidy up.</summary>
        public void Kill()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        public void Dispose() => process.Dispose();
    }
}
