using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Gradscope.IO;

/// <summary>
/// NumPy's <c>.npy</c> format (NEP 1): magic <c>\x93NUMPY</c>, version, a header length, an ASCII Python dict
/// <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 4), }</c> padded to a multiple of 64 bytes, then the
/// raw values. Reads float16/32/64, signed and unsigned integers and bools of either byte order, C or Fortran order;
/// writes little-endian float64 or float32, C order, version 1.0.
/// </summary>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads one array; <paramref name="name"/> names it in errors (a file, or an entry of a .npz).</summary>
    public static NpyArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, name);
        if (!prefix[..6].SequenceEqual(Magic)) throw new InvalidDataException($"{name}: not a NumPy .npy array (bad magic).");
        int major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> two = stackalloc byte[2];
            ReadExactly(stream, two, name);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(two);
        }
        else if (major is 2 or 3)
        {
            Span<byte> four = stackalloc byte[4];
            ReadExactly(stream, four, name);
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(four));
        }
        else throw new InvalidDataException($"{name}: unsupported .npy version {major}.{prefix[7]}.");
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, name);
        string header = Encoding.Latin1.GetString(headerBytes);
        string descr = Field(DescrPattern(), header, name, "descr");
        bool fortran = Field(FortranPattern(), header, name, "fortran_order") == "True";
        string shapeText = Field(ShapePattern(), header, name, "shape");
        int[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out int d) ? d
                : throw new InvalidDataException($"{name}: bad shape ({shapeText}).")).ToArray();
        var (kind, size, bigEndian) = ParseDescr(descr, name);
        long count = shape.Aggregate(1L, (n, d) => n * d);
        if (count > Array.MaxLength) throw new InvalidDataException($"{name}: {count} elements is more than one array holds.");
        var values = new double[count];
        var buffer = new byte[(int)Math.Clamp(count * size, size, 1 << 20) / size * size];
        long done = 0;
        while (done < count)
        {
            int take = (int)Math.Min(count - done, buffer.Length / size);
            var chunk = buffer.AsSpan(0, take * size);
            ReadExactly(stream, chunk, name, $"truncated: {count} values of '{descr}' expected, {done} read");
            for (int i = 0; i < take; i++) values[done + i] = Decode(chunk.Slice(i * size, size), kind, size, bigEndian, name);
            done += take;
        }
        if (fortran && shape.Length > 1) values = FromFortran(values, shape);
        return new NpyArray(shape, values, kind is 'i' or 'u' or 'b');
    }

    public static NpyArray Read(string path)
    {
        using var stream = RegularFile.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Writes <paramref name="values"/> with <paramref name="shape"/> as little-endian float64 (or float32), C order.</summary>
    public static void Write(Stream stream, ReadOnlySpan<double> values, int[] shape, bool asFloat32 = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(shape);
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{(asFloat32 ? "<f4" : "<f8")}', 'fortran_order': False, 'shape': {shapeText}, }}";
        // magic (6) + version (2) + length (2) + dict + '\n', padded with spaces to a multiple of 64.
        int total = 10 + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)header.Length);
        stream.Write(two);
        stream.Write(Encoding.ASCII.GetBytes(header));
        int size = asFloat32 ? 4 : 8;
        var buffer = new byte[Math.Min(values.Length, 1 << 16) * size];
        for (int start = 0; start < values.Length; start += buffer.Length / size)
        {
            int take = Math.Min(values.Length - start, buffer.Length / size);
            for (int i = 0; i < take; i++)
            {
                if (asFloat32) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), (float)values[start + i]);
                else BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(i * 8), values[start + i]);
            }
            stream.Write(buffer, 0, take * size);
        }
    }

    private static (char Kind, int Size, bool BigEndian) ParseDescr(string descr, string name)
    {
        string d = descr;
        bool big = false;
        if (d.Length > 0 && d[0] is '<' or '>' or '|' or '=')
        {
            big = d[0] == '>';
            d = d[1..];
        }
        if (d.Length >= 2 && d[0] is 'f' or 'i' or 'u' or 'b' &&
            int.TryParse(d[1..], NumberStyles.None, CultureInfo.InvariantCulture, out int size) &&
            (d[0] == 'f' ? size is 2 or 4 or 8 : d[0] == 'b' ? size == 1 : size is 1 or 2 or 4 or 8))
            return (d[0], size, big && size > 1);
        throw new InvalidDataException($"{name}: unsupported dtype '{descr}' (numbers only: float16/32/64, integers, bool).");
    }

    private static double Decode(ReadOnlySpan<byte> b, char kind, int size, bool big, string name)
    {
        Span<byte> v = stackalloc byte[8];
        b.CopyTo(v);
        if (big) v[..size].Reverse();
        var le = v[..size];
        switch (kind, size)
        {
            case ('f', 2): return (double)BinaryPrimitives.ReadHalfLittleEndian(le);
            case ('f', 4): return BinaryPrimitives.ReadSingleLittleEndian(le);
            case ('f', 8): return BinaryPrimitives.ReadDoubleLittleEndian(le);
            case ('b', 1): return le[0] != 0 ? 1 : 0;
            case ('u', 1): return le[0];
            case ('i', 1): return (sbyte)le[0];
            case ('u', 2): return BinaryPrimitives.ReadUInt16LittleEndian(le);
            case ('i', 2): return BinaryPrimitives.ReadInt16LittleEndian(le);
            case ('u', 4): return BinaryPrimitives.ReadUInt32LittleEndian(le);
            case ('i', 4): return BinaryPrimitives.ReadInt32LittleEndian(le);
            case ('u', 8):
                ulong u = BinaryPrimitives.ReadUInt64LittleEndian(le);
                return u <= 1UL << 53 ? u : throw new InvalidDataException($"{name}: integer {u} is too large to hold exactly.");
            default:
                long s = BinaryPrimitives.ReadInt64LittleEndian(le);
                return Math.Abs(s) <= 1L << 53 ? s : throw new InvalidDataException($"{name}: integer {s} is too large to hold exactly.");
        }
    }

    private static double[] FromFortran(double[] values, int[] shape)
    {
        // Column-major to row-major: the element with index (i0, i1, …) sits at Σ i_k·stride_k with stride_0 = 1.
        var result = new double[values.Length];
        var index = new int[shape.Length];
        for (long c = 0; c < values.Length; c++)
        {
            long f = 0, stride = 1;
            for (int k = 0; k < shape.Length; k++)
            {
                f += index[k] * stride;
                stride *= shape[k];
            }
            result[c] = values[f];
            for (int k = shape.Length - 1; k >= 0; k--)
            {
                if (++index[k] < shape[k]) break;
                index[k] = 0;
            }
        }
        return result;
    }

    private static string Field(Regex pattern, string header, string name, string field)
    {
        var m = pattern.Match(header);
        return m.Success ? m.Groups[1].Value : throw new InvalidDataException($"{name}: the .npy header has no '{field}'.");
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string name, string? what = null)
    {
        try { stream.ReadExactly(buffer); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{name}: {what ?? "truncated header"}."); }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
