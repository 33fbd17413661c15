using System.Runtime.InteropServices;

namespace Gradscope.IO;

/// <summary>
/// Binary pieces of a checkpoint (<see cref="ICheckpointable"/>): arrays written as a length and their raw
/// little-endian bytes, read back into the caller's arrays (a length that differs means the checkpoint belongs to
/// another run, and is refused).
/// </summary>
public static class StateIO
{
    public static void Write<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Reads an array written by <see cref="Write{T}"/> into <paramref name="destination"/>, which must have its length.</summary>
    public static void ReadInto<T>(BinaryReader reader, Span<T> destination, string what) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(reader);
        int length = reader.ReadInt32();
        if (length != destination.Length)
            throw new InvalidDataException($"checkpoint does not match this run: {what} has {length} values, expected {destination.Length}.");
        var bytes = MemoryMarshal.AsBytes(destination);
        reader.BaseStream.ReadExactly(bytes);
    }

    /// <summary>Reads an array written by <see cref="Write{T}"/> whatever its length.</summary>
    public static T[] Read<T>(BinaryReader reader, int maxLength = int.MaxValue) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(reader);
        int length = reader.ReadInt32();
        if (length < 0 || length > maxLength) throw new InvalidDataException($"checkpoint: bad array length {length}.");
        var values = new T[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}

/// <summary>State that a checkpoint saves and a resumed run restores, exactly (docs/model-format.md, checkpoints).</summary>
public interface ICheckpointable
{
    void WriteState(BinaryWriter writer);

    void ReadState(BinaryReader reader);
}
