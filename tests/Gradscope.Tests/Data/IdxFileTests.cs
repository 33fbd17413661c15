using Gradscope.Data;

namespace Gradscope.Tests.Data;

public sealed class IdxFileTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_ThenRead_RoundTripsImagesAndLabels(bool compress)
    {
        using var dir = new TempDirectory();
        var pixels = IdxTestFiles.Pixels(6, 28, 28);
        var labels = IdxTestFiles.Labels(6);
        IdxFile.Images(6, 28, 28, pixels).Write(dir.File("images"), compress);
        IdxFile.Labels(labels).Write(dir.File("labels"), compress);

        var images = IdxFile.ReadImages(dir.File("images"));
        var readLabels = IdxFile.ReadLabels(dir.File("labels"), classes: 10);

        Assert.Equal([6, 28, 28], images.Dimensions);
        Assert.Equal(784, images.ItemSize);
        Assert.Equal(pixels, images.Data.ToArray());
        Assert.Equal(labels, readLabels.Data.ToArray());
        Assert.Equal(IdxFile.LabelsMagic, readLabels.Magic);
    }

    [Fact]
    public void Read_GzipNamedWithoutGzExtension_DetectsCompressionByMagicBytes()
    {
        using var dir = new TempDirectory();
        IdxFile.Labels([1, 2, 3]).Write(dir.File("labels.idx"), compress: true);
        IdxFile.Labels([4, 5]).Write(dir.File("plain.gz"), compress: false);

        Assert.Equal(0x1f, File.ReadAllBytes(dir.File("labels.idx"))[0]);
        Assert.Equal(new byte[] { 1, 2, 3 }, IdxFile.ReadLabels(dir.File("labels.idx")).Data.ToArray());
        Assert.Equal(new byte[] { 4, 5 }, IdxFile.ReadLabels(dir.File("plain.gz")).Data.ToArray());
    }

    [Fact]
    public void Write_OverExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        IdxFile.Labels([1, 2, 3, 4]).Write(dir.File("labels"));
        IdxFile.Labels([9]).Write(dir.File("labels"));

        Assert.Equal(new byte[] { 9 }, IdxFile.ReadLabels(dir.File("labels")).Data.ToArray());
        Assert.Equal(["labels"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_WrongMagic_ThrowsNamingFile(bool compress)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad");
        IdxTestFiles.WriteRaw(path, [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0], compress);

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("magic", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ReadImages_LabelFileGiven_ThrowsWrongMagic()
    {
        using var dir = new TempDirectory();
        IdxFile.Labels([1, 2]).Write(dir.File("labels"));

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(dir.File("labels")));

        Assert.Contains(dir.File("labels"), e.Message);
        Assert.Contains("0x00000801", e.Message);
        Assert.Contains("0x00000803", e.Message);
    }

    [Fact]
    public void ReadImages_FloatElementType_ThrowsUnsupportedType()
    {
        using var dir = new TempDirectory();
        string path = dir.File("floats");
        IdxTestFiles.WriteRaw(path, IdxTestFiles.Header(0x00000D03, [1, 2, 2], 16));

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("element type 0x0D", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_FewerBytesThanHeaderPromises_ThrowsTruncated(bool compress)
    {
        using var dir = new TempDirectory();
        string path = dir.File("short");
        IdxTestFiles.WriteRaw(path, IdxTestFiles.Header(IdxFile.ImagesMagic, [10, 28, 28], 784 * 3), compress);

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("7840", e.Message);
    }

    [Fact]
    public void ReadLabels_FileEndsInsideHeader_ThrowsTruncated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("stub");
        IdxTestFiles.WriteRaw(path, [0, 0, 8, 1, 0, 0]);

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void ReadLabels_TrailingBytes_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.File("long");
        IdxTestFiles.WriteRaw(path, IdxTestFiles.Header(IdxFile.LabelsMagic, [3], 5));

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("bytes after", e.Message);
    }

    [Fact]
    public void ReadLabels_CorruptGzip_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("broken.gz");
        IdxFile.Labels(IdxTestFiles.Labels(5000)).Write(path, compress: true);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void ReadLabels_LabelAtOrAboveClassCount_ThrowsOutOfRange()
    {
        using var dir = new TempDirectory();
        IdxFile.Labels([0, 3, 10, 2]).Write(dir.File("labels"));

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(dir.File("labels"), classes: 10));

        Assert.Contains(dir.File("labels"), e.Message);
        Assert.Contains("label 10 at index 2", e.Message);
    }

    [Fact]
    public void Constructor_DataSizeDisagreesWithDimensions_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new IdxFile([2, 3], new byte[5]));

        Assert.Contains("[2, 3]", e.Message);
    }
}
