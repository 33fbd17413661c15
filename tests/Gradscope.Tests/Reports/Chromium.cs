using System.Diagnostics;

namespace Gradscope.Tests.Reports;

/// <summary>Headless Chromium for browser tests: offline, no first-run, a fresh profile per call, output captured.</summary>
internal static class Chromium
{
    public static string Path => Environment.GetEnvironmentVariable("GRADSCOPE_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static bool Available => File.Exists(Path);

    public static bool InCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs Chromium headless on a local file with the network cut off; returns (exit code, stdout, stderr).</summary>
    public static (int Code, string Stdout, string Stderr) Run(string file, params string[] extra)
    {
        string profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gradscope-chromium-{Guid.NewGuid():N}");
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
            $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            // Offline: every host resolves to nothing and any proxied request goes nowhere, so a report that
            // needed the network would show failed loads.
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
        }.Concat(extra).Append(new Uri(file).AbsoluteUri))
            start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish within 60 s on {file}.");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Console messages and uncaught errors in Chromium's stderr log (D-Bus and GPU noise ignored).</summary>
    public static IReadOnlyList<string> ConsoleErrors(string stderr) =>
        stderr.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)
            || l.Contains("net::ERR_", StringComparison.Ordinal)).ToList();
}

/// <summary>A fact that needs Chromium: skipped when it is absent outside CI, failed when it is absent in CI.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.Available && !Chromium.InCi) Skip = $"Chromium not found at {Chromium.Path} (install it: apt-get install chromium); in CI (CI set) this test fails instead.";
    }
}
