namespace Gradscope.Tests.Data;

/// <summary>A fresh folder under the system temp path, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    private static int _counter;

    public TempDirectory()
    {
        // Process id + counter rather than a random name: tests stay free of unseeded randomness.
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(),
            $"gradscope-data-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}");
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
