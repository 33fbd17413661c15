using Gradscope.Diagnosis;
using Gradscope.Experiments;
using Gradscope.Reports;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.Reports;

/// <summary><c>diagnose --verify</c>'s results (verification.json) are in report.html: each prescription's flags, the spec it ran with and what it did.</summary>
[Collection(ReportsCollection.Name)]
public sealed class VerificationReportTests(SampleRuns runs)
{
    private static string Encode(string text) => System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(text);

    [Fact]
    public void Write_RunWithVerification_ShowsEachPrescriptionAsItRan()
    {
        string dir = runs.Copy(runs.Full, "verified");
        var spec = RunInfos.SpecOf(RunRecord.Load(dir).Info);
        var context = RemedyContext.Of(spec.Training) with { MeanGradientNorm = 0.5 };
        var data = TestNets.Separable<float>(400, 20, 1);
        var (baseline, results) = Verification.Verify(spec, [RemedyRegistry.For("relu-he", context), RemedyRegistry.For("lower-eta", context)], data, null, 300);
        Verification.ToFile(baseline, results, 300).Write(dir);

        // Written and read by the one record type.
        var file = VerificationFile.Read(dir)!;
        Assert.Equal(300, file.Examples);
        Assert.Equal(["baseline", .. results.Select(r => r.Name)], file.Results.Prepend(file.Baseline).Select(r => r.Name));
        Assert.Equal(results.Select(r => r.Spec.Training.Eta), file.Results.Select(r => r.Eta));

        string html = File.ReadAllText(HtmlReport.Write(dir));
        Assert.Contains("<h2>Verified prescriptions", html);
        foreach (var r in results)
        {
            Assert.Contains(Encode(r.Flags), html);
            Assert.Contains(Encode(Verification.SpecLine(r.Spec)), html); // η included: "sgd η 0.05"
            Assert.Contains(Encode(r.Verdict), html);
        }
        Assert.Contains("sgd η 0.05", Verification.SpecLine(results.Single(r => r.Name == "relu-he").Spec));
        Assert.Contains(Encode($"sgd η {spec.Training.Eta / 10}"), html);
    }

    [Fact]
    public void Write_RunWithoutVerification_HasNoSection()
    {
        string html = File.ReadAllText(HtmlReport.Write(runs.Copy(runs.Minimal, "unverified")));
        Assert.DoesNotContain("Verified prescriptions", html);
    }

    [Fact]
    public void Write_FirstFormatVerification_StillShown()
    {
        // The anonymous object diagnose wrote before verification.json had a record type: the spec as an object, no spec line.
        string dir = runs.Copy(runs.Minimal, "old-verification");
        File.WriteAllText(Path.Combine(dir, VerificationFile.Name), """
            { "baseline": { "name": "baseline", "flags": "", "reason": "the spec as it is", "spec": { "name": "baseline" }, "firstToLastRatio": 0.01,
                "cost": 2.5, "accuracy": 0.3, "costChange": 0, "ratioChange": 0, "helped": false, "verdict": "reference", "seconds": 1.5, "status": "complete" },
              "results": [ { "name": "relu-he", "flags": "--activation relu --init he-normal --eta 0.05", "reason": "r", "spec": { "name": "relu-he" },
                "firstToLastRatio": 0.5, "cost": 1.2, "accuracy": 0.7, "costChange": -1.3, "ratioChange": 1.7, "helped": true,
                "verdict": "helped: cost 1.2 vs 2.5", "seconds": 1.4, "status": "complete" } ] }
            """);
        string html = File.ReadAllText(HtmlReport.Write(dir));
        Assert.Contains("--activation relu --init he-normal --eta 0.05", html);
        Assert.Contains("helped: cost 1.2 vs 2.5", html);
    }

    [Fact]
    public void Diagnose_Verify_RewritesTheReportWithTheVerification()
    {
        string dir = Directory.CreateTempSubdirectory("gradscope-verify-").FullName;
        try
        {
            var train = CliRunner.Run(dir, "train", "--layers", "784,16,16,16,10", "--activation", "sigmoid", "--train-size", "500", "--test-size", "100",
                "--epochs", "1", "--out", "runs", "--name", "deep");
            Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
            string run = Directory.GetDirectories(Path.Combine(dir, "runs")).Single();
            Assert.DoesNotContain("Verified prescriptions", File.ReadAllText(Path.Combine(run, RunFiles.Report)));
            var diagnose = CliRunner.Run(dir, "diagnose", run, "--verify", "--verify-examples", "300", "--top", "2");
            Assert.True(diagnose.ExitCode == 0, diagnose.Stderr + diagnose.Stdout);
            var file = VerificationFile.Read(run)!;
            string html = File.ReadAllText(Path.Combine(run, RunFiles.Report));
            Assert.Contains("<h2>Verified prescriptions", html);
            foreach (var r in file.Results) Assert.Contains(Encode(r.SpecLine), html);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
