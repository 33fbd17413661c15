using System.Diagnostics;
using System.Globalization;

namespace Gradscope.Tests.TensorBoard;

/// <summary>
/// Reads an event file with tools that share no code with Gradscope: check_events.py (Debian's python3-crc32c)
/// verifies every record's checksums, and <c>protoc --decode_raw</c> (Debian's protobuf-compiler) decodes every
/// payload. The decoded text is turned into events by field number (Event: wall_time 1, step 2, summary 5; Summary.Value:
/// tag 1, simple_value 2, histo 5; HistogramProto num 3).
/// </summary>
internal static class IndependentReader
{
    public const string Python = "/usr/bin/python3";

    public sealed record Event(long Step, string? Tag, float? Value, double? HistogramCount, string? FileVersion);

    public static string? Missing()
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        if (Run(Python, "-c", "import crc32c").Code != 0) return "python3-crc32c is not installed (apt-get install python3-crc32c)";
        if (Run("protoc", "--version").Code != 0) return "protoc is not installed (apt-get install protobuf-compiler)";
        return null;
    }

    /// <summary>The checker's verdict line ("records N[ truncated K bytes]") and the decoded events.</summary>
    public static (string Verdict, IReadOnlyList<Event> Events) Read(string eventFile)
    {
        string wrapped = eventFile + ".wrapped";
        var check = Run(Python, Path.Combine(AppContext.BaseDirectory, "TensorBoard", "check_events.py"), eventFile, wrapped);
        Assert.True(check.Code == 0, $"checksum check failed: {check.Stdout} {check.Stderr}");
        var decoded = Run("protoc", ["--decode_raw"], stdinFile: wrapped);
        Assert.True(decoded.Code == 0, $"protoc --decode_raw failed: {decoded.Stderr}");
        return (check.Stdout.Trim(), Parse(decoded.Stdout));
    }

    private static List<Event> Parse(string text)
    {
        var events = new List<Event>();
        var path = new List<string>();
        long step = 0;
        string? tag = null, version = null;
        float? value = null;
        double? count = null;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.EndsWith('{'))
            {
                path.Add(line[..^1].Trim());
                if (path.Count == 1) (step, tag, value, count, version) = (0, null, null, null, null);
                continue;
            }
            if (line == "}")
            {
                path.RemoveAt(path.Count - 1);
                if (path.Count == 0) events.Add(new Event(step, tag, value, count, version));
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string at = string.Join('/', path.Append(line[..colon]));
            string v = line[(colon + 1)..].Trim();
            switch (at)
            {
                case "1/2": step = long.Parse(v, CultureInfo.InvariantCulture); break;
                case "1/3": version = Unquote(v); break;
                case "1/5/1/1": tag = Unquote(v); break;
                case "1/5/1/2": value = BitConverter.Int32BitsToSingle((int)Convert.ToUInt32(v, 16)); break;
                case "1/5/1/5/3": count = BitConverter.Int64BitsToDouble((long)Convert.ToUInt64(v, 16)); break;
            }
        }
        return events;
    }

    private static string Unquote(string v) => v.Length >= 2 && v[0] == '"' ? v[1..^1] : v;

    private static (int Code, string Stdout, string Stderr) Run(string file, params string[] args) => Run(file, args, null);

    private static (int Code, string Stdout, string Stderr) Run(string file, string[] args, string? stdinFile)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdinFile is not null, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdinFile is not null)
            {
                using (var input = File.OpenRead(stdinFile)) input.CopyTo(process.StandardInput.BaseStream);
                process.StandardInput.Close();
            }
            process.WaitForExit(60_000);
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }
}

/// <summary>A fact that needs the independent reader: skipped with the reason when it is missing outside CI, failed in CI (CI=true).</summary>
public sealed class IndependentReaderFactAttribute : FactAttribute
{
    public IndependentReaderFactAttribute()
    {
        if (IndependentReader.Missing() is { } why && !Reports.Chromium.InCi) Skip = $"{why}; .ci/run installs it, and in CI this test fails instead.";
    }
}
