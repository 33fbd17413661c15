using Gradscope.Data;

namespace Gradscope.Tests.Data;

public sealed class MnistFilesTests
{
    [Theory]
    [InlineData(false, "")]
    [InlineData(true, "")]
    public void LoadFolder_FourFiles_ScalesPixelsAndOneHotsLabels(bool compress, string suffix)
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, trainCount: 12, testCount: 5, compress, suffix);

        var split = MnistFiles.LoadFolder(dir.Path);

        Assert.Equal(12, split.Train.Count);
        Assert.Equal(5, split.Test.Count);
        Assert.Equal(12, split.Train.InputSize);
        Assert.Equal(10, split.Train.OutputSize);
        var pixels = IdxTestFiles.Pixels(12, 4, 3);
        Assert.Equal(pixels[7] / 255f, split.Train.Inputs[7]);
        int label = IdxTestFiles.Labels(12)[3];
        Assert.Equal(label, split.Train.Label(3));
        Assert.Equal(1f, split.Train.Target(3)[label]);
        Assert.Equal(1f, split.Train.Target(3).ToArray().Sum());
    }

    [Fact]
    public void LoadFolder_DottedNames_AreAccepted()
    {
        using var dir = new TempDirectory();
        IdxFile.Images(3, 2, 2, new byte[12]).Write(dir.File("train-images.idx3-ubyte"));
        IdxFile.Labels([0, 1, 2]).Write(dir.File("train-labels.idx1-ubyte"));
        IdxFile.Images(2, 2, 2, new byte[8]).Write(dir.File("t10k-images.idx3-ubyte.gz"), compress: true);
        IdxFile.Labels([3, 4]).Write(dir.File("t10k-labels.idx1-ubyte.gz"), compress: true);

        var split = MnistFiles.LoadFolder(dir.Path);

        Assert.Equal(3, split.Train.Count);
        Assert.Equal(4, split.Test.Label(1));
    }

    [Fact]
    public void LoadFolder_EmnistStyleLabels_UsesMaxLabelPlusOneClasses()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, trainCount: 60, testCount: 20, classes: 47);

        var split = MnistFiles.LoadFolder(dir.Path);

        Assert.Equal(47, split.Train.OutputSize);
        Assert.Equal(47, split.Test.OutputSize);
    }

    [Fact]
    public void LoadFolder_MissingLabelsFile_ThrowsNamingFolderAndFile()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path);
        File.Delete(dir.File("t10k-labels-idx1-ubyte"));

        var e = Assert.Throws<DataFormatException>(() => MnistFiles.LoadFolder(dir.Path));

        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("missing t10k-labels-idx1-ubyte", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void LoadFolder_MoreImagesThanLabels_ThrowsCountMismatchNamingBothFiles()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, trainCount: 12);
        IdxFile.Labels(IdxTestFiles.Labels(11)).Write(dir.File("train-labels-idx1-ubyte"));

        var e = Assert.Throws<DataFormatException>(() => MnistFiles.LoadFolder(dir.Path));

        Assert.Contains(dir.File("train-images-idx3-ubyte"), e.Message);
        Assert.Contains(dir.File("train-labels-idx1-ubyte"), e.Message);
        Assert.Contains("12 images", e.Message);
        Assert.Contains("11 labels", e.Message);
    }

    [Fact]
    public void LoadFolder_LabelAboveGivenClassCount_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, trainCount: 30, classes: 12);

        var e = Assert.Throws<DataFormatException>(() => MnistFiles.LoadFolder(dir.Path, classes: 10));

        Assert.Contains(dir.File("train-labels-idx1-ubyte"), e.Message);
        Assert.Contains("outside [0, 10)", e.Message);
    }

    [Fact]
    public void LoadFolder_TestImagesOfAnotherSize_Throws()
    {
        using var dir = new TempDirectory();
        IdxTestFiles.WriteMnistFolder(dir.Path, testCount: 2);
        IdxFile.Images(2, 5, 5, new byte[50]).Write(dir.File("t10k-images-idx3-ubyte"));

        var e = Assert.Throws<DataFormatException>(() => MnistFiles.LoadFolder(dir.Path));

        Assert.Contains(dir.File("t10k-images-idx3-ubyte"), e.Message);
        Assert.Contains("5×5", e.Message);
    }
}
