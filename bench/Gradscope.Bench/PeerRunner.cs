using System.Diagnostics;

namespace Gradscope.Bench;

/// <summary>
/// Runs the peer reference scripts (numpy, torch) that the benchmarks compare against. They live in
/// <c>shared/peers</c> beside the repository, with <c>/work/shared/peers</c> as the fallback.
/// </summary>
internal static class PeerRunner
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Full path of a peer script, or null when it cannot be found.</summary>
    public static string? Locate(string script)
    {
        foreach (string folder in new[] { Path.Combine(RepositoryRoot() ?? ".", "..", "shared", "peers"), "/work/shared/peers" })
        {
            string path = Path.GetFullPath(Path.Combine(folder, script));
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>True when python3 exists and can import numpy.</summary>
    public static bool HasNumpy() => Execute(["-c", "import numpy"], TimeSpan.FromSeconds(60)) is not null;

    /// <summary>
    /// Runs <c>python3 script args</c> and returns its standard output, or null when python, numpy or the script
    /// is missing or the script fails. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the child's
    /// environment so that OpenBLAS picks its kernel for this CPU itself, as a user's numpy would.
    /// </summary>
    public static string? Run(string script, IReadOnlyList<string> args, TimeSpan timeout)
    {
        string? path = Locate(script);
        if (path is null || !HasNumpy()) return null;
        return Execute([path, .. args], timeout);
    }

    /// <summary>
    /// Runs a short inline program (<c>python3 -c code args</c>) under the same environment rules as
    /// <see cref="Run"/>, plus <paramref name="environment"/>; null when python or numpy is missing or it fails.
    /// </summary>
    public static string? RunCode(string code, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
        => HasNumpy() ? Execute(["-c", code, .. args], timeout, environment) : null;

    private static string? Execute(IReadOnlyList<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(Python)) return null;
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("OPENBLAS_CORETYPE");
        info.Environment.Remove("OPENBLAS_L2_SIZE");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        try
        {
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            process.WaitForExit();
            return process.ExitCode == 0 ? stdout.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The nearest folder above the running binary, or the working directory, that holds Gradscope.slnx.</summary>
    private static string? RepositoryRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx"))) return dir.FullName;
        }
        return null;
    }
}
