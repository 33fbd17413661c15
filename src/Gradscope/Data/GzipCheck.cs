using System.Buffers.Binary;

namespace Gradscope.Data;

/// <summary>
/// The trailer check .NET's GZipStream leaves out: a gzip member ends with the CRC-32 and the length (mod 2³²) of
/// what it holds (RFC 1952). Comparing them with what was decompressed catches a file cut inside its trailer and
/// bytes after the stream (then the last eight bytes are not the trailer), both of which GZipStream accepts.
/// </summary>
internal sealed class GzipCheck(long compressedLength)
{
    private static readonly uint[] Table = BuildTable();
    private uint _crc = 0xFFFFFFFF;
    private long _length;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        uint crc = _crc;
        foreach (byte b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        _crc = crc;
        _length += bytes.Length;
    }

    /// <summary>Throws a <see cref="DataFormatException"/> unless the file's last eight bytes are this stream's trailer.</summary>
    public void Verify(FileStream file, string path)
    {
        Span<byte> trailer = stackalloc byte[8];
        if (compressedLength < 18) throw new DataFormatException(path, "the gzip stream is truncated (no room for its header and trailer).");
        file.Position = compressedLength - 8;
        if (file.ReadAtLeast(trailer, 8, throwOnEndOfStream: false) < 8) throw new DataFormatException(path, "the gzip trailer is truncated.");
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != ~_crc || size != (uint)_length)
            throw new DataFormatException(path, "the gzip trailer does not match the data: the file is truncated, damaged, or has bytes after the gzip stream.");
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>Passes reads through, adding every byte to the check.</summary>
    internal sealed class Counting(Stream inner, GzipCheck check) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            check.Add(buffer[..n]);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
