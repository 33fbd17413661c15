using System.Buffers.Binary;
using System.IO.Compression;
using CsCheck;
using Gradscope.Data;
using Gradscope.Tests.Data;

namespace Gradscope.Tests.Fuzz;

/// <summary>IDX headers and bodies, plain and gzip, valid and broken: every file reads or is one bad-input line.</summary>
public sealed class IdxFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-fuzz-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A header that is mostly plausible (so bodies get read), with any field able to lie.</summary>
    private static readonly Gen<byte[]> Files =
        from rank in Gen.OneOf(Gen.Int[1, 3], Gen.Int[0, 255])
        from type in Gen.OneOf(Gen.Const((byte)0x08), Gen.Byte)
        from zeros in Gen.OneOf(Gen.Const(0), Gen.Int[0, 65535])
        from dims in Gen.OneOf(Gen.Int[0, 6], Gen.Int[-3, 70_000], Gen.Int).Array[Math.Min(rank, 6)]
        from bodyLength in Gen.OneOf(Gen.Int[0, 200], Gen.Const(-1))
        from body in Gen.Byte.Array[0, 256]
        from cut in Gen.Int[0, 100]
        select Build(zeros, type, rank, dims, bodyLength, body, cut);

    private static byte[] Build(int zeros, byte type, int rank, int[] dims, int bodyLength, byte[] body, int cut)
    {
        var bytes = new List<byte>();
        var word = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, (zeros << 16) | (type << 8) | rank);
        bytes.AddRange(word);
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            bytes.AddRange(word);
        }
        // The body the header promises when that is small (a valid file), else what was drawn.
        long promised = dims.Aggregate(1L, (p, d) => d < 0 ? -1 : Math.Min(p * d, 1L << 40));
        if (bodyLength < 0 && promised is >= 0 and <= 4096) bytes.AddRange(Enumerable.Range(0, (int)promised).Select(i => (byte)i));
        else bytes.AddRange(body.Take(Math.Max(0, bodyLength)));
        // Sometimes cut the file short.
        return cut < 85 ? [.. bytes] : [.. bytes.Take(bytes.Count * (cut - 85) / 15)];
    }

    private static readonly Gen<(byte[] Bytes, int Wrapping, int Damage)> Cases =
        Gen.Select(Files, Gen.Int[0, 2], Gen.Int[0, 40]);

    [Fact]
    public void IdxFiles_ReadOrOneBadInputLine()
    {
        int ok = 0;
        int cases = Fuzz.Run(Cases, 400, 20261201, (c, i) =>
        {
            string path = Path.Combine(_dir, $"case-{i % 8}");
            byte[] file = c.Wrapping == 0 ? c.Bytes : Gzip(c.Bytes);
            if (c.Wrapping > 0) file = Damage(file, c.Damage);
            File.WriteAllBytes(path, file);
            if (Fuzz.SucceedsOrBadInput(() => IdxFile.Read(path), "IdxFile.Read")) ok++;
        });
        Assert.True(ok > 0 && ok < cases, $"{ok} of {cases} read: the generator should make both kinds");
    }

    /// <summary>Gzip damage: the trailer cut, junk after the stream, a byte of the deflate data flipped, or none.</summary>
    private static byte[] Damage(byte[] gz, int kind) => kind switch
    {
        < 8 => gz[..Math.Max(0, gz.Length - 1 - kind)],
        < 16 => [.. gz, .. Enumerable.Repeat((byte)kind, kind - 7)],
        < 24 when gz.Length > 20 => Flip(gz, 10 + kind % (gz.Length - 18)),
        _ => gz,
    };

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x5A;
        return copy;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        return ms.ToArray();
    }

    [Fact]
    public void Gzip_TruncatedTrailerOrJunkAfter_Refused()
    {
        string path = Path.Combine(_dir, "labels.gz");
        IdxFile.Labels(IdxTestFiles.Labels(50)).Write(path, compress: true);
        Assert.Equal(50, IdxFile.ReadLabels(path).Count);
        byte[] whole = File.ReadAllBytes(path);
        for (int cut = 1; cut <= 8; cut++)
        {
            File.WriteAllBytes(path, whole[..^cut]);
            Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));
        }
        File.WriteAllBytes(path, [.. whole, .. "junk"u8.ToArray()]);
        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));
        Assert.Contains("after the gzip stream", e.Message);
    }

    [Fact]
    public void Gzip_HeaderPromisingGigabytes_RefusedWithoutAllocatingThem()
    {
        // A 30-byte gzip file whose IDX header promises 2 GB: refused from the deflate ratio bound, before any allocation.
        string path = Path.Combine(_dir, "liar.gz");
        IdxTestFiles.WriteRaw(path, [0, 0, 8, 1, 0x7F, 0xFF, 0xFF, 0xC0], compress: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the reader allocated for the header's claim");
        Assert.Contains("more than a gzip file", e.Message);
    }

    [Fact]
    public async Task Fifo_AsDataFile_RefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows()) return;
        string fifo = Path.Combine(_dir, "train-images-idx3-ubyte");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", fifo)) await mk.WaitForExitAsync();
        var read = Task.Run(() => Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(fifo)));
        var e = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("not a regular file", e.Message);
    }
}
