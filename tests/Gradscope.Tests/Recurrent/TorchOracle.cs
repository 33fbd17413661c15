using System.Diagnostics;
using Gradscope.Tests.Reports;

namespace Gradscope.Tests.Recurrent;

/// <summary>PyTorch (python3-torch) as a float64 oracle: found once per test run; CI fails instead of skipping when it is missing.</summary>
internal static class TorchOracle
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        try
        {
            var (code, _, error) = Run(["-c", "import torch, numpy"], null);
            return code == 0 ? null : $"{Python} cannot import torch and numpy ({error.Trim().Split('\n')[^1]})";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return e.Message;
        }
    });

    /// <summary>Why the oracle cannot run, or null when it can.</summary>
    public static string? WhyMissing => Missing.Value;

    public static (int Code, string Output, string Error) Run(IEnumerable<string> arguments, string? stdin)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    public static bool InCi => Chromium.InCi;
}

/// <summary>A theory that needs PyTorch: skipped, with the reason, when it is absent outside CI; failed when it is absent in CI.</summary>
public sealed class TorchTheoryAttribute : TheoryAttribute
{
    public TorchTheoryAttribute()
    {
        if (TorchOracle.WhyMissing is { } why && !TorchOracle.InCi)
            Skip = $"PyTorch oracle unavailable: {why} (install python3-torch python3-numpy); in CI (CI set) this test fails instead.";
    }
}
