namespace Gradscope.TorchSharp.Tests;

/// <summary>A fresh folder under the temp folder for a test's run directories, deleted on dispose.</summary>
internal sealed class RunDirectory : IDisposable
{
    public RunDirectory(string name) => Root = Path.Combine(Path.GetTempPath(), "gradscope-torch-tests", $"{name}-{Guid.NewGuid():N}");

    public string Root { get; }

    /// <summary>The test's main run directory.</summary>
    public string Run => Path.Combine(Root, "run");

    public string Other(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
