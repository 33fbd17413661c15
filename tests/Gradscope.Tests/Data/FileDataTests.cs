using System.IO.Compression;
using Gradscope.Data;
using Gradscope.IO;

namespace Gradscope.Tests.Data;

public sealed class FileDataTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static DataFileOptions NoSplit => new() { TestFraction = 0 };

    [Fact]
    public void Load_CsvWithTextLabels_ClassesSortedAndOneHot()
    {
        string path = Write("a.csv", "x1,x2,kind\n1,2,dog\n3,4,cat\n5,6,dog\n");
        var split = FileData.Load(path, NoSplit, keepExact: true);
        var train = split.ExactTrain!;
        Assert.Equal(["cat", "dog"], split.ClassNames!);
        Assert.False(split.IsRegression);
        Assert.Equal(3, train.Count);
        Assert.Equal(2, train.InputSize);
        Assert.Equal([1, 0, 1], train.Labels.ToArray());
        Assert.Equal([0.0, 1, 1, 0, 0, 1], train.Targets.ToArray());
        Assert.Equal([1.0, 2, 3, 4, 5, 6], train.Inputs.ToArray());
    }

    [Fact]
    public void Load_TargetByName_OtherColumnsAreFeatures()
    {
        string path = Write("a.csv", "y,a,b\n0,1.5,2\n1,3,4\n");
        var train = FileData.Load(path, NoSplit with { Target = "y" }, keepExact: true).ExactTrain!;
        Assert.Equal([1.5, 2, 3, 4], train.Inputs.ToArray());
        Assert.Equal([0, 1], train.Labels.ToArray());
    }

    [Fact]
    public void Load_RealTargets_RegressionWithOneOutput()
    {
        string path = Write("r.csv", "a,y\n1,0.5\n2,1.25\n3,-2\n");
        var split = FileData.Load(path, NoSplit, keepExact: true);
        Assert.True(split.IsRegression);
        Assert.False(split.ExactTrain!.HasLabels);
        Assert.Equal([0.5, 1.25, -2], split.ExactTrain.Targets.ToArray());
    }

    [Fact]
    public void Load_ManyWholeNumbers_RegressionUnlessTaskSaysClassify()
    {
        var lines = Enumerable.Range(0, 150).Select(i => $"{i},{i * 3}");
        string path = Write("w.csv", "a,y\n" + string.Join("\n", lines) + "\n");
        Assert.True(FileData.Load(path, NoSplit).IsRegression);
        Assert.Equal(150, FileData.Load(path, NoSplit with { Task = "classify" }).Train.OutputSize);
    }

    [Fact]
    public void Load_Float64_ValuesKeptExactly()
    {
        string path = Write("p.csv", "a,y\n0.1234567890123456789,0\n0.3,1\n");
        var split = FileData.Load(path, NoSplit, keepExact: true);
        Assert.Equal(0.1234567890123456789, split.ExactTrain!.Inputs[0]);
        Assert.Equal(0.1234567890123456789f, split.Train.Inputs[0]);
    }

    [Fact]
    public void Load_GzipSpaceDelimitedSkipRowsNoHeader_Reads()
    {
        string path = _dir.File("s.txt.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        using (var w = new StreamWriter(gz))
            w.Write("a comment line\n  1  2\t 0\n3 4 1\n\n5   6 0\n");
        var train = FileData.Load(path, NoSplit with { Delimiter = "space", SkipRows = 1, Header = false }, keepExact: true).ExactTrain!;
        Assert.Equal([1.0, 2, 3, 4, 5, 6], train.Inputs.ToArray());
        Assert.Equal([0, 1, 0], train.Labels.ToArray());
    }

    [Fact]
    public void Load_QuotedHeaderAndSemicolons_Reads()
    {
        string path = Write("q.csv", "\"first; a\";\"the \"\"y\"\"\"\n1;a\n2;b\n");
        var split = FileData.Load(path, NoSplit with { Delimiter = ";", Target = "the \"y\"" });
        Assert.Equal(2, split.Train.Count);
    }

    [Fact]
    public void Load_TargetFile_RowsPaired()
    {
        string x = Write("x.txt", "1 2\n3 4\n5 6\n");
        string y = Write("y.txt", "1.5\n2.5\n3.5\n");
        var split = FileData.Load(x, NoSplit with { Delimiter = "space", Header = false, TargetFile = y }, keepExact: true);
        Assert.True(split.IsRegression);
        Assert.Equal(2, split.Train.InputSize);
        Assert.Equal([1.5, 2.5, 3.5], split.ExactTrain!.Targets.ToArray());
    }

    [Fact]
    public void Load_TestFraction_SeededDisjointAndComplete()
    {
        var lines = Enumerable.Range(0, 50).Select(i => $"{i},{i % 2}");
        string path = Write("f.csv", "a,y\n" + string.Join("\n", lines) + "\n");
        var a = FileData.Load(path, new DataFileOptions { TestFraction = 0.2 }, keepExact: true);
        var b = FileData.Load(path, new DataFileOptions { TestFraction = 0.2 }, keepExact: true);
        Assert.Equal(40, a.ExactTrain!.Count);
        Assert.Equal(10, a.ExactTest!.Count);
        Assert.Equal(a.ExactTest.Inputs.ToArray(), b.ExactTest!.Inputs.ToArray());
        var all = a.ExactTrain.Inputs.ToArray().Concat(a.ExactTest.Inputs.ToArray()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (double)i).ToArray(), all);
        // Both sets keep file order.
        Assert.True(a.ExactTest.Inputs.ToArray().SequenceEqual(a.ExactTest.Inputs.ToArray().Order()));
    }

    [Fact]
    public void Load_Standardize_TrainingStatisticsAppliedToBoth()
    {
        string path = Write("t.csv", "a,y\n1,0\n3,1\n");
        string test = Write("u.csv", "a,y\n5,0\n");
        var split = FileData.Load(path, new DataFileOptions { Standardize = true, TestFile = test }, keepExact: true);
        Assert.Equal([-1.0, 1], split.ExactTrain!.Inputs.ToArray());
        Assert.Equal(3.0, split.ExactTest!.Inputs[0]); // (5 − 2)/1
        Assert.Equal(2.0, split.Scaling!.Mean[0]);
        Assert.Equal(1.0, split.Scaling.Scale[0]);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n1,x,1\n", "line 3, column 2 ('b'): 'x' is not a number")]
    [InlineData("a,b,y\n1,2,0\n1,2\n", "line 3: 2 fields where the header has 3")]
    [InlineData("", "the file is empty")]
    [InlineData("a,b,y\n", "a header but no rows")]
    [InlineData("a,b,y\n1,NaN,0\n2,3,1\n", "line 2, column 2 ('b'): NaN; NaN and infinite values are not allowed")]
    [InlineData("a,b,y\n1,-Infinity,0\n", "line 2, column 2 ('b'): -Infinity;")]
    [InlineData("a,b,y\n1,,0\n", "line 2, column 2 ('b'): empty cell")]
    [InlineData("a,b,y\n1,2,0\n3,4,0\n", "column 'y' has one class only ('0')")]
    public void Load_BadCsv_OneLineNamingFileAndPlace(string text, string expected)
    {
        string path = Write("bad.csv", text);
        var e = Assert.ThrowsAny<Exception>(() => FileData.Load(path, NoSplit));
        Assert.IsType<DataFormatException>(e);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_MissingTargetColumn_NamesTheColumns()
    {
        string path = Write("m.csv", "a,b\n1,0\n");
        var e = Assert.Throws<DataFormatException>(() => FileData.Load(path, NoSplit with { Target = "label" }));
        Assert.Contains("no column named 'label' (columns: a, b)", e.Message);
    }

    [Fact]
    public void Load_Npz_XAndY()
    {
        string path = _dir.File("d.npz");
        Npz.Write(path, [("x", [1.0, 2, 3, 4, 5, 6], [3, 2]), ("y", [0.0, 1, 1], [3])]);
        var split = FileData.Load(path, NoSplit, keepExact: true);
        Assert.False(split.IsRegression);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], split.ExactTrain!.Inputs.ToArray());
        Assert.Equal([0, 1, 1], split.ExactTrain.Labels.ToArray());
    }

    [Fact]
    public void Load_NpzTwoColumnY_MultiOutputRegression()
    {
        string path = _dir.File("m.npz");
        Npz.Write(path, [("x", [1.0, 2], [2, 1]), ("y", [0.5, 1, 1.5, 2], [2, 2])]);
        var split = FileData.Load(path, NoSplit, keepExact: true);
        Assert.True(split.IsRegression);
        Assert.Equal(2, split.Train.OutputSize);
        Assert.Equal([0.5, 1, 1.5, 2], split.ExactTrain!.Targets.ToArray());
    }

    [Fact]
    public void Load_NpzWithoutY_Refused()
    {
        string path = _dir.File("n.npz");
        Npz.Write(path, [("x", [1.0, 2], [2, 1])]);
        var e = Assert.Throws<DataFormatException>(() => FileData.Load(path, NoSplit));
        Assert.Contains("needs arrays 'x' (features) and 'y' (targets); it has 'x'", e.Message);
    }

    [Fact]
    public void Load_Npy_LastColumnIsTarget()
    {
        string path = _dir.File("a.npy");
        using (var s = File.Create(path)) Npy.Write(s, [1.0, 2, 0, 3, 4, 1], [2, 3]);
        var split = FileData.Load(path, NoSplit, keepExact: true);
        Assert.Equal([1.0, 2, 3, 4], split.ExactTrain!.Inputs.ToArray());
        Assert.Equal([0, 1], split.ExactTrain.Labels.ToArray());
    }
}
