using System.IO.Compression;
using Gradscope.Data;

namespace Gradscope.Tests.Data;

/// <summary>Small deterministic IDX files and a writer for deliberately broken ones.</summary>
internal static class IdxTestFiles
{
    public static byte[] Pixels(int count, int rows, int columns)
    {
        var pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 37 % 256);
        return pixels;
    }

    public static byte[] Labels(int count, int classes = 10)
    {
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i * 7 % classes);
        return labels;
    }

    /// <summary>Writes the four MNIST files (trainCount / testCount examples of 4×3 pixels) into a folder.</summary>
    public static void WriteMnistFolder(string directory, int trainCount = 12, int testCount = 5, bool compress = false,
        string suffix = "", int classes = 10)
    {
        string gz = compress ? ".gz" : "";
        IdxFile.Images(trainCount, 4, 3, Pixels(trainCount, 4, 3)).Write(Path.Combine(directory, $"train-images-idx3-ubyte{suffix}{gz}"), compress);
        IdxFile.Labels(Labels(trainCount, classes)).Write(Path.Combine(directory, $"train-labels-idx1-ubyte{suffix}{gz}"), compress);
        IdxFile.Images(testCount, 4, 3, Pixels(testCount, 4, 3)).Write(Path.Combine(directory, $"t10k-images-idx3-ubyte{suffix}{gz}"), compress);
        IdxFile.Labels(Labels(testCount, classes)).Write(Path.Combine(directory, $"t10k-labels-idx1-ubyte{suffix}{gz}"), compress);
    }

    /// <summary>Raw bytes to a file, gzip-compressed when asked: for headers the writer would never produce.</summary>
    public static void WriteRaw(string path, byte[] bytes, bool compress = false)
    {
        using var file = File.Create(path);
        if (compress)
        {
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            gzip.Write(bytes);
        }
        else
        {
            file.Write(bytes);
        }
    }

    /// <summary>A big-endian IDX header followed by <paramref name="dataBytes"/> bytes of payload.</summary>
    public static byte[] Header(int magic, int[] dimensions, int dataBytes)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + dataBytes];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        return bytes;
    }
}
