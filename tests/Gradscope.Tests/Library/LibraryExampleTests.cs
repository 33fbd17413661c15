using Gradscope.Tests.Cli;

namespace Gradscope.Tests.Library;

/// <summary>
/// The README's "Use it from C#" example, compiled with the tests (a project reference) and run: a training loop of
/// its own with a <see cref="Gradscope.Experiments.RunRecorder{T}"/> attached writes a run directory that
/// <c>gradscope report</c> and <c>diagnose</c> read like one <c>train</c> wrote.
/// </summary>
public sealed class LibraryExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-library-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Gradscope.slnx not found above the test binaries.");
    }

    [Fact]
    public void Main_OwnTrainingLoop_WritesARunThatReportAndDiagnoseRead()
    {
        string run = Path.Combine(_dir, "runs", "my-net");
        Assert.Equal(0, Gradscope.Example.Program.Main([run, "2"]));

        var record = RunRecord.Load(run);
        Assert.Equal(RunStatus.Complete, record.Info.Status);
        Assert.Equal("library", record.Info.Kind);
        Assert.Equal([0, 1, 2], record.Epochs.Select(e => e.Epoch));
        Assert.True(record.Epochs[^1].TrainCost < record.Epochs[0].TrainCost, "the loop did not train");
        var view = new RunView(record);
        // Every schedule measured the loop's last step: "at end" is the end (2 epochs of 500 steps).
        Assert.Equal(999, view.EndStep(view.SpeedQuantity, 1));
        Assert.Equal(Quantity.ReferenceBiasGradNorm, view.SpeedQuantity);
        Assert.NotNull(record.Info.Spec);

        var report = CliRunner.Run(_dir, "report", run);
        Assert.True(report.ExitCode == 0, report.Stderr + report.Stdout);
        Assert.True(File.Exists(Path.Combine(run, RunFiles.Report)));
        var diagnose = CliRunner.Run(_dir, "diagnose", run);
        Assert.True(diagnose.ExitCode == 0, diagnose.Stderr + diagnose.Stdout);
        // Nielsen's deep sigmoid net: the doctor sees its first layer lag, from the record the loop wrote.
        Assert.Contains(FindingsFile.Read(run), f => f.Kind == FindingKind.Vanishing);
        Assert.Contains(view.Ratio(atEnd: true).ToString(), diagnose.Stdout);
    }

    [Fact]
    public void Readme_UseItFromCSharp_IsTheTestedExample()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        int section = readme.IndexOf("## Use it from C#", StringComparison.Ordinal);
        Assert.True(section >= 0, "README has no 'Use it from C#' section");
        int start = readme.IndexOf("```csharp", section, StringComparison.Ordinal) + "```csharp".Length;
        string block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        string program = File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", "Gradscope.Example", "Program.cs"));
        var lines = block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        Assert.InRange(lines.Count(l => !l.StartsWith("using ", StringComparison.Ordinal) && l is not ("{" or "}")), 6, 12);
        foreach (string line in lines) Assert.Contains(line, program);
    }
}
