using Gradscope.Diagnosis;
using Gradscope.Experiments;

namespace Gradscope.Tests.Runs;

/// <summary>findings.json and sweep.json: each written and read by one type, older layouts still read.</summary>
public sealed class RecordFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FindingsFile_Prescribed_RoundTripsTheFlags()
    {
        var finding = new Finding(FindingKind.Vanishing, Severity.Critical, "t", "e", "x", ["relu-he", "no-such-remedy"],
            new Dictionary<string, double> { ["ratio"] = 0.01 }, [1]);
        var prescribed = Prescriber.Prescribe([finding], new RemedyContext(0.1, 10, 1.0));
        FindingsFile.Write(_dir, prescribed);
        var read = Assert.Single(FindingsFile.Read(_dir));
        var p = Assert.Single(read.Prescriptions);
        Assert.Equal(("relu-he", RemedyRegistry.For("relu-he", new RemedyContext(0.1, 10, 1.0)).Flags), (p.Remedy, p.Flags));
        Assert.Contains("--activation relu", p.Flags, StringComparison.Ordinal);
        Assert.Equal(0.01, read.Numbers["ratio"]);
    }

    [Fact]
    public void FindingsFile_OlderLayout_ReadsMissingFieldsAsEmpty()
    {
        File.WriteAllText(Path.Combine(_dir, FindingsFile.Name), """[{"severity":"warning","title":"slow first layer"}]""");
        var read = Assert.Single(FindingsFile.Read(_dir));
        Assert.Equal(("warning", "slow first layer", "", 0, 0), (read.Severity, read.Title, read.Evidence, read.Remedies.Count, read.Prescriptions.Count));
    }

    [Fact]
    public void SweepFile_Written_ReadsBackEveryEntryAndAxis()
    {
        var file = new SweepFile("s", new Dictionary<string, string[]> { ["depth"] = ["1", "2"] },
            [new SweepEntry("d1", new Dictionary<string, string> { ["depth"] = "1" }), new SweepEntry("d2", new Dictionary<string, string> { ["depth"] = "2" })]);
        file.Write(_dir);
        var read = SweepFile.Read(_dir);
        Assert.Equal("s", read.Name);
        Assert.Equal(["1", "2"], read.Axes["depth"]);
        Assert.Equal(["d1", "d2"], read.Runs.Select(r => r.Dir));
        Assert.Equal("2", read.Runs[1].Params["depth"]);
    }

    [Fact]
    public void SweepFile_ArrayLayoutOrBadEntry_ReadsOrNamesTheProblem()
    {
        File.WriteAllText(Path.Combine(_dir, SweepFile.FileName), """[{"dir":"a","params":{"eta":"0.1"}}]""");
        Assert.Equal("a", Assert.Single(SweepFile.Read(_dir).Runs).Dir);
        File.WriteAllText(Path.Combine(_dir, SweepFile.FileName), """{"name":"x","runs":[{"params":{}}]}""");
        var e = Assert.Throws<InvalidDataException>(() => SweepFile.Read(_dir));
        Assert.Contains("dir", e.Message, StringComparison.Ordinal);
    }
}
