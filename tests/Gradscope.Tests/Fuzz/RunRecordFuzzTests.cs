using System.Text;
using CsCheck;
using Gradscope.Cli.Terminal;
using Gradscope.Diagnosis;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Reports;
using Gradscope.Tests.Support;
using Gradscope.Training;
using Spectre.Console;

namespace Gradscope.Tests.Fuzz;

/// <summary>
/// run.json, summary.json and metrics.jsonl of a real run, mutated: each damaged directory is read and put through
/// what inspect, report, diagnose and export do with it, or is refused as bad input; none crashes.
/// </summary>
public sealed class RunRecordFuzzTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gradscope-fuzz-run-").FullName;
    private readonly string _base;

    public RunRecordFuzzTests()
    {
        _base = Path.Combine(_root, "base");
        var spec = new ExperimentSpec
        {
            Name = "fuzz",
            Network = new NetworkSpec { Layers = [10, 8, 6, 2], Activation = "tanh" },
            Training = new TrainingOptions { Eta = 0.3, BatchSize = 10, Epochs = 2 },
            Probes = ProbeOptions.FromPreset("full") with { ReferenceSize = 40, JacobianInputs = 1 },
            Data = new DataSpec { Source = "separable", Train = 100, Test = 20 },
        };
        ExperimentRunner.Run(spec, TestNets.Separable<float>(100, 10, 1), TestNets.Separable<float>(20, 10, 2), _base);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly Gen<(int File, (int Where, int What)[] Edits, (int Where, int What) Text, int[] Lines)> Cases =
        Gen.Select(Gen.Int[0, 3], JsonMutation.Edits, JsonMutation.TextEdit, Gen.Int[0, 1_000_000].Array[1, 6]);

    [Fact]
    public void DamagedRuns_EveryViewWorksOrOneBadInputLine()
    {
        int ok = 0, skipped = 0;
        int cases = Fuzz.Run(Cases, 100, 20261203, (c, i) =>
        {
            string dir = Path.Combine(_root, $"case-{i % 4}");
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            Directory.CreateDirectory(dir);
            foreach (string f in Directory.GetFiles(_base)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            switch (c.File)
            {
                case 0: Mutate(Path.Combine(dir, RunFiles.Info), c.Edits, c.Text); break;
                case 1: Mutate(Path.Combine(dir, RunFiles.Summary), c.Edits, c.Text); break;
                default: MutateLines(Path.Combine(dir, RunFiles.Metrics), c.Lines, c.Edits, c.File == 3); break;
            }
            if (Fuzz.SucceedsOrBadInput(() =>
            {
                var run = RunRecord.Load(dir);
                skipped += run.SkippedMetricLines;
                Exercise(run, report: i % 20 == 0);
            }, $"case {i} (file {c.File})")) ok++;
        });
        Assert.True(ok > cases / 4, $"only {ok} of {cases} damaged runs were readable");
        Assert.True(skipped > 0, "no malformed metrics line was counted");
    }

    private static void Mutate(string path, (int Where, int What)[] edits, (int Where, int What) text) =>
        File.WriteAllText(path, JsonMutation.Apply(File.ReadAllText(path), edits, text));

    /// <summary>Lines of metrics.jsonl edited as JSON (a field of the wrong type, a histogram's bins cut), or as bytes.</summary>
    private static void MutateLines(string path, int[] picks, (int Where, int What)[] edits, bool bytes)
    {
        var lines = File.ReadAllLines(path).ToList();
        foreach (int pick in picks)
        {
            int n = pick % lines.Count;
            if (bytes)
            {
                var b = Encoding.UTF8.GetBytes(lines[n]).ToList();
                int at = pick % (b.Count + 1);
                if (pick % 3 == 0) b.RemoveRange(at, Math.Min(b.Count - at, 1 + pick % 7));
                else b.Insert(at, (byte)(pick % 256));
                lines[n] = Encoding.Latin1.GetString([.. b]);
            }
            else
            {
                try { lines[n] = JsonMutation.Apply(lines[n], edits, (0, 9)); }
                catch (System.Text.Json.JsonException) { }
            }
        }
        File.WriteAllLines(path, lines);
    }

    /// <summary>What inspect, diagnose, export and report do with a run, without a console.</summary>
    internal static void Exercise(RunRecord run, bool report)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()), Interactive = InteractionSupport.No });
        console.Write(RunTables.Layers(run));
        console.Write(RunTables.Epochs(run));
        var view = new RunView(run);
        _ = view.Ratio(atEnd: false).ToString() + view.Ratio(atEnd: true) + view.FinalAccuracy;
        var context = Prescriber.ContextOf(run);
        Prescriber.Prescribe(Doctor.Diagnose(DiagnosisInput.From(run)), context);
        _ = Gradscope.Cli.Commands.DiagnoseCommand.SpecOf(run);
        using var csv = new MemoryStream();
        run.ExportCsv(csv);
        LayerTableCsv.Write(csv, view);
        if (report) _ = HtmlReport.Render(run);
    }
}
