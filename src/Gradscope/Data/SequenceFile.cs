using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Gradscope.Data;

/// <summary>
/// Sequence data from a NumPy <c>.npz</c>: <c>x</c> of shape [N, T, I] (float or integer), and <c>y</c> one of
/// <list type="bullet">
/// <item>[N] integer labels (a classification set, one-hot targets) or [N] / [N, K] floats (regression targets), one
/// per sequence, read from its last step;</item>
/// <item>[N, T] integer labels, one per step (sequence labelling, one-hot targets [N, T, classes]), or [N, T, O]
/// targets at every step (read as floats) — the data of <c>--outputs every</c>.</item>
/// </list>
/// An integer [N, K] whose K is x's T is the per-step form; save K regression targets as floats. Optionally
/// <c>x_test</c>, <c>y_test</c> of the same kinds. Little-endian, C order, as <c>numpy.savez</c> writes.
/// </summary>
public static partial class SequenceFile
{
    /// <summary>Whether <paramref name="path"/> is a <c>.npz</c> of sequences (its <c>x</c> is 3-D), not a table of rows.</summary>
    public static bool Holds(string path)
    {
        if (!path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) return false;
        try
        {
            using var zip = new ZipArchive(RegularFile.OpenRead(path));
            if (zip.GetEntry("x.npy") is not { } entry) return false;
            using var stream = entry.Open();
            var head = new byte[4096];
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            string header = Encoding.ASCII.GetString(head, 0, n);
            return Shape().Match(header) is { Success: true } s && s.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 3;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return false; // not a zip: the table reader says what is wrong with it
        }
    }

    public static DataSplit Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sequence file '{path}' does not exist.", path);
        string name = Path.GetFileNameWithoutExtension(path);
        try
        {
            using var zip = new ZipArchive(RegularFile.OpenRead(path));
            var train = Read(zip, "x", "y", name + "-train", path) ?? throw new DataFormatException(path, $"has no arrays 'x' and 'y'.");
            var test = Read(zip, "x_test", "y_test", name + "-test", path);
            if (test is not null && (test.InputSize != train.InputSize || test.OutputSize != train.OutputSize || test.Steps != train.Steps
                || test.TargetSteps != train.TargetSteps))
                throw new DataFormatException(path, $"x_test/y_test do not have the shape of x/y.");
            return new DataSplit(train, test ?? train.Slice(0, 0)) { IsRegression = !train.HasLabels };
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
        if (yShape.Length is < 1 or > 3 || yShape[0] != n || (yShape.Length == 3 && yShape[1] != steps))
            throw new DataFormatException(path, $"{yName} has shape ({string.Join(", ", yShape)}); expected [{n}], [{n}, K], [{n}, {steps}] labels or [{n}, {steps}, O].");
        var inputsArray = new float[x.Length];
        for (int i = 0; i < x.Length; i++) inputsArray[i] = (float)x[i];
        if (steps < 1 || inputs < 1) throw new DataFormatException(path, $"{xName} has an empty time or input axis.");
        if (yIntegers && yShape.Length == 2 && yShape[1] == steps)
        {
            var labels = Labels(y, yName, path);
            int classes = Math.Max(2, labels.Length == 0 ? 2 : labels.Max() + 1);
            var oneHot = new float[(long)labels.Length * classes <= Array.MaxLength ? labels.Length * classes : throw new DataFormatException(path, $"{yName} is too large.")];
            for (int i = 0; i < labels.Length; i++) oneHot[i * classes + labels[i]] = 1;
            return new Dataset<float>(name, steps * inputs, steps * classes, inputsArray, oneHot, labels, targetSteps: steps) { Steps = steps };
        }
        if (yShape.Length == 3)
        {
            if (yShape[2] < 1) throw new DataFormatException(path, $"{yName} has an empty output axis.");
            return new Dataset<float>(name, steps * inputs, steps * yShape[2], inputsArray, Array.ConvertAll(y, v => (float)v), targetSteps: steps) { Steps = steps };
        }
        if (yIntegers && yShape.Length == 1)
        {
            var labels = Labels(y, yName, path);
            int classes = Math.Max(2, labels.Length == 0 ? 2 : labels.Max() + 1);
            var set = Dataset<float>.Classification(name, steps * inputs, inputsArray, labels, classes);
            return new Dataset<float>(name, set.InputSize, set.OutputSize, set.Inputs.ToArray(), set.Targets.ToArray(), labels) { Steps = steps };
        }
        int k = yShape.Length == 2 ? yShape[1] : 1;
        var targets = new float[y.Length];
        for (int i = 0; i < y.Length; i++) targets[i] = (float)y[i];
        return new Dataset<float>(name, steps * inputs, k, inputsArray, targets) { Steps = steps };
    }

    private static int[] Labels(double[] y, string yName, string path)
    {
        var labels = Array.ConvertAll(y, v => (int)v);
        if (labels.Length > 0 && labels.Min() < 0) throw new DataFormatException(path, $"{yName} has a negative label.");
        return labels;
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
