using System.Diagnostics;

namespace Gradscope.Tests.Support;

/// <summary>Tools and data from outside the repository that some tests use as independent references.</summary>
internal static class External
{
    public const string SklearnData = "/usr/lib/python3/dist-packages/sklearn/datasets/data";
    public const string Python = "/usr/bin/python3";

    public static bool InCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 };

    private static readonly Lazy<bool> TorchPresent = new(() => Runs(Python, "-c", "import torch, numpy"));

    public static bool HasTorch => TorchPresent.Value;

    /// <summary>Runs a program to the end; true when it exits 0.</summary>
    public static bool Runs(string program, params string[] args)
    {
        if (!File.Exists(program)) return false;
        try
        {
            var (code, _, _) = Run(program, args);
            return code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static (int Code, string Stdout, string Stderr) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fact on scikit-learn's bundled data files (Debian python3-sklearn): skipped with a message when they are absent outside CI.</summary>
public sealed class SklearnFactAttribute : FactAttribute
{
    public SklearnFactAttribute()
    {
        // In CI (.ci/run installs python3-sklearn) a missing file fails the test rather than skipping it.
        if (!Directory.Exists(External.SklearnData) && Environment.GetEnvironmentVariable("CI") != "true") Skip = $"python3-sklearn's data files are not installed ({External.SklearnData}); apt-get install python3-sklearn.";
    }
}

/// <summary>A theory on scikit-learn's bundled data files: skipped with a message when they are absent outside CI.</summary>
public sealed class SklearnTheoryAttribute : TheoryAttribute
{
    public SklearnTheoryAttribute()
    {
        // In CI (.ci/run installs python3-sklearn) a missing file fails the test rather than skipping it.
        if (!Directory.Exists(External.SklearnData) && Environment.GetEnvironmentVariable("CI") != "true") Skip = $"python3-sklearn's data files are not installed ({External.SklearnData}); apt-get install python3-sklearn.";
    }
}

/// <summary>A fact that needs PyTorch in /usr/bin/python3: skipped with a message when it is absent outside CI, failed in CI.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (!External.HasTorch && !External.InCi) Skip = $"{External.Python} cannot import torch and numpy (apt-get install python3-torch); in CI (CI set) this test fails instead.";
    }
}
