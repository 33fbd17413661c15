using Gradscope.Data;

namespace Gradscope.Tests.Data;

public sealed class DataSourcesTests
{
    [Fact]
    public void Load_UnknownName_ThrowsNamingItAndTheChoices()
    {
        var e = Assert.Throws<ArgumentException>(() => DataSources.Load("cifar-nope", seed: 1));

        Assert.Contains("'cifar-nope'", e.Message);
        Assert.Contains("digits", e.Message);
        Assert.Contains("mnist", e.Message);
        Assert.Contains("folder", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_Digits_HonoursCountsAndSeed()
    {
        var a = DataSources.Load("digits", trainCount: 120, testCount: 30, seed: 4);
        var b = Digits.Load(120, 30, seed: 4);

        Assert.Equal(120, a.Train.Count);
        Assert.Equal(30, a.Test.Count);
        Assert.True(a.Train.Inputs.SequenceEqual(b.Train.Inputs));
    }

    [Fact]
    public void Load_Folder_ReadsIdxFilesAndTakesFirstExamples()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, trainCount: 12, testCount: 5, compress: true);

        var split = DataSources.Load(dir.Path, trainCount: 10, seed: 1);

        Assert.Equal(10, split.Train.Count);
        Assert.Equal(5, split.Test.Count);
        Assert.EndsWith("-train", split.Train.Name);
    }

    [Fact]
    public void Load_NonPositiveCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSources.Load("digits", trainCount: 0, seed: 1));
    }
}
