using System.Buffers;
using System.Buffers.Binary;

namespace Gradscope.Record.TensorBoard;

/// <summary>
/// The few protocol-buffer encodings an event needs, written by hand rather than through generated classes: varints,
/// 32- and 64-bit little-endian fields, length-delimited fields and packed doubles (protobuf.dev/programming-guides/encoding).
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Clear() => _buffer.ResetWrittenCount();

    public void Double(int field, double value)
    {
        Tag(field, Fixed64);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Float(int field, float value)
    {
        Tag(field, Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Int64(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint((ulong)value);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    public void String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>A repeated double field, packed: one length-delimited run of 8-byte values.</summary>
    public void PackedDoubles(int field, ReadOnlySpan<double> values)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)values.Length * 8);
        var span = _buffer.GetSpan(values.Length * 8);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(span[(i * 8)..], values[i]);
        _buffer.Advance(values.Length * 8);
    }

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _buffer.Advance(n);
    }
}
