using System.Globalization;

namespace Gradscope.Cli;

/// <summary>Names new run directories: &lt;parent&gt;/&lt;name&gt;-&lt;yyyyMMdd-HHmmss&gt;[-n], never reusing one.</summary>
public static class RunDirectories
{
    public static string NewRunDirectory(string parent, string name)
    {
        string safe = new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ',' or '=' ? c : '_').ToArray());
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string dir = Path.Combine(parent, $"{safe}-{stamp}");
        for (int n = 2; Directory.Exists(dir); n++) dir = Path.Combine(parent, $"{safe}-{stamp}-{n}");
        EnsureWritable(parent);
        return dir;
    }

    /// <summary>Fails early, with one line, when the output folder cannot be created or written.</summary>
    public static void EnsureWritable(string parent)
    {
        try
        {
            if (File.Exists(parent)) throw new UsageException($"--out '{parent}' is a file, not a folder.");
            Directory.CreateDirectory(parent);
            string probe = Path.Combine(parent, $".gradscope-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write to output folder '{parent}': {Terminal.Output.OneLine(e.Message)}");
        }
    }
}
