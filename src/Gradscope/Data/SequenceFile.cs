using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Gradscope.Data;

/// <summary>
/// Sequence data from a NumPy <c>.npz</c>: <c>x</c> of shape [N, T, I] (float or integer), <c>y</c> of shape [N]
/// integer labels (a classification set, one-hot targets) or [N] / [N, K] floats (regression targets), and
/// optionally <c>x_test</c>, <c>y_test</c> of the same kinds. Little-endian, C order, as <c>numpy.savez</c> writes.
/// </summary>
public static partial class SequenceFile
{
    public static DataSplit Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sequence file '{path}' does not exist.", path);
        string name = Path.GetFileNameWithoutExtension(path);
        try
        {
            using var zip = new ZipArchive(RegularFile.OpenRead(path));
            var train = Read(zip, "x", "y", name + "-train", path) ?? throw new DataFormatException(path, $"has no arrays 'x' and 'y'.");
            var test = Read(zip, "x_test", "y_test", name + "-test", path);
            if (test is not null && (test.InputSize != train.InputSize || test.OutputSize != train.OutputSize || test.Steps != train.Steps))
                throw new DataFormatException(path, $"x_test/y_test do not have the shape of x/y.");
            return new DataSplit(train, test ?? train.Slice(0, 0));
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"is not a .npz (zip) file: {e.Message}");
        }
    }

    private static Dataset<float>? Read(ZipArchive zip, string xName, string yName, string name, string path)
    {
        var xEntry = zip.GetEntry(xName + ".npy");
        var yEntry = zip.GetEntry(yName + ".npy");
        if (xEntry is null && yEntry is null) return null;
        if (xEntry is null || yEntry is null) throw new DataFormatException(path, $"has {(xEntry is null ? yName : xName)} without {(xEntry is null ? xName : yName)}.");
        var (x, xShape, _) = ReadArray(xEntry, path);
        var (y, yShape, yIntegers) = ReadArray(yEntry, path);
        if (xShape.Length != 3) throw new DataFormatException(path, $"{xName} has shape ({string.Join(", ", xShape)}); expected [N, T, I].");
        int n = xShape[0], steps = xShape[1], inputs = xShape[2];
        if (yShape.Length is < 1 or > 2 || yShape[0] != n)
            throw new DataFormatException(path, $"{yName} has shape ({string.Join(", ", yShape)}); expected [{n}] or [{n}, K].");
        var inputsArray = new float[x.Length];
        for (int i = 0; i < x.Length; i++) inputsArray[i] = (float)x[i];
        if (steps < 1 || inputs < 1) throw new DataFormatException(path, $"{xName} has an empty time or input axis.");
        if (yIntegers && yShape.Length == 1)
        {
            var labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = (int)y[i];
            if (labels.Length > 0 && labels.Min() < 0) throw new DataFormatException(path, $"{yName} has a negative label.");
            int classes = Math.Max(2, labels.Length == 0 ? 2 : labels.Max() + 1);
            var set = Dataset<float>.Classification(name, steps * inputs, inputsArray, labels, classes);
            return new Dataset<float>(name, set.InputSize, set.OutputSize, set.Inputs.ToArray(), set.Targets.ToArray(), labels) { Steps = steps };
        }
        int k = yShape.Length == 2 ? yShape[1] : 1;
        var targets = new float[y.Length];
        for (int i = 0; i < y.Length; i++) targets[i] = (float)y[i];
        return new Dataset<float>(name, steps * inputs, k, inputsArray, targets) { Steps = steps };
    }

    /// <summary>The values of one .npy entry as doubles, its shape, and whether its type is an integer.</summary>
    private static (double[] Values, int[] Shape, bool Integers) ReadArray(ZipArchiveEntry entry, string path)
    {
        using var stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new DataFormatException(path, $"{entry.Name} is not a .npy array.");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, start, headerLength);
        string descr = Descr().Match(header) is { Success: true } d ? d.Groups[1].Value : throw new DataFormatException(path, $"{entry.Name} has no dtype.");
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal)) throw new DataFormatException(path, $"{entry.Name} is in Fortran order; save it C-ordered.");
        var shapeText = Shape().Match(header) is { Success: true } s ? s.Groups[1].Value : throw new DataFormatException(path, $"{entry.Name} has no shape.");
        int[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        long count = shape.Aggregate(1L, (p, v) => p * v);
        var data = bytes.AsSpan(start + headerLength);
        (int size, bool integers) = descr switch
        {
            "<f4" => (4, false), "<f8" => (8, false), "<i4" => (4, true), "<i8" => (8, true), "|u1" or "<u1" => (1, true), "|b1" => (1, true),
            _ => throw new DataFormatException(path, $"{entry.Name} has dtype {descr}; use float32, float64, int32, int64 or uint8."),
        };
        if (data.Length < count * size) throw new DataFormatException(path, $"{entry.Name} is truncated.");
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            var v = data.Slice(i * size, size);
            values[i] = descr switch
            {
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(v),
                "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(v),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(v),
                "<i8" => BinaryPrimitives.ReadInt64LittleEndian(v),
                _ => v[0],
            };
        }
        return (values, shape, integers);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}
