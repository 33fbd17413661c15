using Gradscope.Cli.Terminal;
using Gradscope.Experiments;
using Gradscope.Record.TensorBoard;

namespace Gradscope.Cli.Commands;

/// <summary><c>train --tensorboard folder</c>: a sink writing the run's events into folder/&lt;run directory name&gt;/ as records arrive.</summary>
internal static class TensorBoardEvents
{
    public static TensorBoardSink? Open(string? folder, string runDirectory, ExperimentSpec spec)
    {
        if (folder is null) return null;
        if (File.Exists(folder)) throw new UsageException($"--tensorboard '{folder}' is a file; give a folder.");
        var writer = new EventFileWriter(Path.Combine(folder, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory)))), DateTimeOffset.UtcNow);
        Output.Line($"TensorBoard events → {writer.Path}");
        return new TensorBoardSink(writer, referenceMeasured: !string.Equals(spec.Probes.Reference, "never", StringComparison.OrdinalIgnoreCase));
    }
}
