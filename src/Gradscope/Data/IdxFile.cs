using System.Buffers.Binary;
using System.IO.Compression;

namespace Gradscope.Data;

/// <summary>
/// An IDX tensor of unsigned bytes, the format of MNIST, Fashion-MNIST and EMNIST: a big-endian magic number
/// <c>0x0000TTNN</c> (element type TT, NN dimensions), NN big-endian int32 sizes, then the row-major data.
/// Files may be gzip-compressed; that is detected from the gzip magic bytes <c>1f 8b</c>, never from the name,
/// because mirrors and users rename files freely.
/// </summary>
public sealed class IdxFile
{
    /// <summary>Magic number of an image file: unsigned bytes, 3 dimensions [count, rows, columns].</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a label file: unsigned bytes, 1 dimension [count].</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;
    private readonly int[] _dimensions;
    private readonly byte[] _data;

    public IdxFile(int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length is < 1 or > 255)
            throw new ArgumentException($"An IDX tensor has 1 to 255 dimensions, got {dimensions.Length}.", nameof(dimensions));
        long size = 1;
        foreach (int d in dimensions)
        {
            if (d < 0) throw new ArgumentException($"IDX dimensions must be non-negative, got [{string.Join(", ", dimensions)}].", nameof(dimensions));
            size *= d;
        }
        if (size != data.Length)
            throw new ArgumentException($"IDX dimensions [{string.Join(", ", dimensions)}] need {size} bytes, got {data.Length}.", nameof(data));
        _dimensions = (int[])dimensions.Clone();
        _data = data;
    }

    public static IdxFile Images(int count, int rows, int columns, byte[] pixels) => new([count, rows, columns], pixels);

    public static IdxFile Labels(byte[] labels) => new([labels.Length], labels);

    public IReadOnlyList<int> Dimensions => _dimensions;

    /// <summary>Number of items: the first dimension.</summary>
    public int Count => _dimensions[0];

    /// <summary>Bytes per item: the product of the remaining dimensions (rows × columns for images).</summary>
    public int ItemSize => Product(_dimensions.AsSpan(1));

    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The magic number this tensor is written with.</summary>
    public int Magic => (UnsignedByteType << 8) | _dimensions.Length;

    /// <summary>Reads an image file (magic 0x00000803).</summary>
    public static IdxFile ReadImages(string path) => Read(path, ImagesMagic);

    /// <summary>Reads a label file (magic 0x00000801); with <paramref name="classes"/>, every label must be below it.</summary>
    public static IdxFile ReadLabels(string path, int? classes = null)
    {
        var labels = Read(path, LabelsMagic);
        if (classes is int c)
        {
            var data = labels.Data;
            for (int i = 0; i < data.Length; i++)
            {
                if (data[i] >= c) throw new DataFormatException(path, $"label {data[i]} at index {i} is outside [0, {c}).");
            }
        }
        return labels;
    }

    /// <summary>Reads any unsigned-byte IDX file, plain or gzip; with <paramref name="expectedMagic"/>, insists on it.</summary>
    public static IdxFile Read(string path, int? expectedMagic = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            // Only a regular file: a FIFO would block the open forever, a device never ends.
            using var file = RegularFile.OpenRead(path);
            Span<byte> probe = stackalloc byte[2];
            int got = file.ReadAtLeast(probe, 2, throwOnEndOfStream: false);
            file.Position = 0;
            bool gzip = got == 2 && probe[0] == 0x1f && probe[1] == 0x8b;
            if (!gzip) return Read(file, path, expectedMagic, file.Length, null);
            var checksum = new GzipCheck(file.Length);
            IdxFile result;
            using (var stream = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
                result = Read(new GzipCheck.Counting(stream, checksum), path, expectedMagic, null, file.Length);
            checksum.Verify(file, path);
            return result;
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataFormatException(path, e.Message.Replace($"'{path}' ", "", StringComparison.Ordinal), e);
        }
        catch (InvalidDataException e)
        {
            // GZipStream reports a damaged or cut-off stream this way; to the user it is just a bad file.
            throw new DataFormatException(path, $"the gzip stream is corrupt or truncated ({e.Message.TrimEnd('.')}).", e);
        }
    }

    /// <summary>
    /// Reads the tensor from <paramref name="stream"/>. <paramref name="length"/> is the plain file's length;
    /// <paramref name="compressedLength"/> that of a gzip file, whose header's promise is bounded by deflate's
    /// largest ratio (1032:1) before anything is allocated, and whose data are read in growing chunks, so a lying
    /// header costs what the stream really holds, not what it claims.
    /// </summary>
    private static IdxFile Read(Stream stream, string path, int? expectedMagic, long? length, long? compressedLength)
    {
        Span<byte> word = stackalloc byte[4];
        if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
            throw new DataFormatException(path, "truncated: the file ends inside the 4-byte magic number.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        byte type = word[2];
        int rank = word[3];
        if (word[0] != 0 || word[1] != 0 || rank == 0)
            throw new DataFormatException(path, $"wrong magic number 0x{magic:X8}{Expected(expectedMagic)}; this is not an IDX file.");
        if (type != UnsignedByteType)
            throw new DataFormatException(path, $"unsupported element type 0x{type:X2} ({TypeName(type)}); only unsigned bytes (0x08) are supported.");
        if (expectedMagic is int want && magic != want)
            throw new DataFormatException(path, $"wrong magic number 0x{magic:X8}{Expected(expectedMagic)} ({rank} dimensions instead of {want & 0xFF}).");

        var dimensions = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++)
        {
            if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
                throw new DataFormatException(path, $"truncated: the file ends inside the header ({rank} dimensions promised).");
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dimensions[i] < 0) throw new DataFormatException(path, $"dimension {i} is negative ({dimensions[i]}).");
            size *= dimensions[i];
            if (size > Array.MaxLength)
                throw new DataFormatException(path, $"dimensions [{string.Join(", ", dimensions[..(i + 1)])}...] promise more than {Array.MaxLength} bytes.");
        }

        long header = 4 + 4L * rank;
        // For a plain file the length is known up front, so a lying header is caught before allocating for it.
        if (length is long total && total - header < size)
            throw Truncated(path, dimensions, size, total - header);
        if (compressedLength is long packed && size + header > packed * 1032L + 64)
            throw new DataFormatException(path, $"the header [{string.Join(" × ", dimensions)}] promises {size} data bytes, more than a gzip file of {packed} bytes can hold.");
        byte[] data = length is null ? ReadGrowing(stream, (int)size) : new byte[size];
        int read = length is null ? data.Length : stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < size) throw Truncated(path, dimensions, size, read);
        if (stream.ReadByte() != -1)
            throw new DataFormatException(path, $"has bytes after the {size} that the header [{string.Join(" × ", dimensions)}] promises.");
        return new IdxFile(dimensions, data);
    }

    /// <summary>Reads up to <paramref name="size"/> bytes, growing the buffer as data arrive; shorter when the stream ends first.</summary>
    private static byte[] ReadGrowing(Stream stream, int size)
    {
        var buffer = new byte[Math.Min(size, 1 << 20)];
        int filled = 0;
        while (filled < size)
        {
            if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(size, 2L * buffer.Length));
            int n = stream.Read(buffer, filled, buffer.Length - filled);
            if (n == 0) return buffer[..filled];
            filled += n;
        }
        return buffer;
    }

    private static DataFormatException Truncated(string path, int[] dimensions, long size, long available) =>
        new(path, $"truncated: the header [{string.Join(" × ", dimensions)}] promises {size} data bytes but only {available} follow.");

    private static string Expected(int? magic) => magic switch
    {
        ImagesMagic => " (expected 0x00000803 for images)",
        LabelsMagic => " (expected 0x00000801 for labels)",
        int m => $" (expected 0x{m:X8})",
        null => "",
    };

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown",
    };

    private static int Product(ReadOnlySpan<int> values)
    {
        int p = 1;
        foreach (int v in values) p *= v;
        return p;
    }

    /// <summary>
    /// Writes the tensor, gzip-compressed when <paramref name="compress"/>. The bytes go to a temporary file in the
    /// same folder that is then renamed over <paramref name="path"/>, so a reader never sees half a file.
    /// </summary>
    public void Write(string path, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, file =>
        {
            // The gzip layer is ours to close; the file is AtomicFile's.
            using var gzip = compress ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true) : null;
            Stream stream = gzip ?? file;
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(word, Magic);
            stream.Write(word);
            foreach (int d in _dimensions)
            {
                BinaryPrimitives.WriteInt32BigEndian(word, d);
                stream.Write(word);
            }
            stream.Write(_data);
        });
    }
}
