using System.Runtime.InteropServices;
using System.Text;

namespace Gradscope.Record;

/// <summary>
/// Opens files for reading only when they are regular files, and reads them with a size bound: a FIFO would block
/// an open forever, and a symlink to <c>/dev/zero</c> would fill memory. Writers ask <see cref="IsReplaceable"/>
/// before renaming over a path, so a device node or a FIFO is never replaced by a file.
/// </summary>
public static partial class RegularFile
{
    /// <summary>Bound of a JSON file of a run (run.json, summary.json, findings.json, sweep.json, a spec): 256 MB.</summary>
    public const long MaxJsonBytes = 256L << 20;

    /// <summary>What is at a path, following symbolic links.</summary>
    public enum Kind
    {
        Missing,
        Regular,
        Directory,

        /// <summary>A FIFO, socket, character or block device.</summary>
        Special,

        /// <summary>The platform could not say (non-Unix, or the runtime's stat entry point is unavailable).</summary>
        Unknown,
    }

    /// <summary>The kind of file at <paramref name="path"/>, following symbolic links.</summary>
    public static Kind KindOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
            return Directory.Exists(path) ? Kind.Directory : File.Exists(path) ? Kind.Unknown : Kind.Missing;
        try
        {
            // .NET's own native shim (the one FileInfo uses) fills a FileStatus whose first two int32 fields are
            // Flags and Mode on every Unix it supports; Mode carries the S_IFMT type bits in their POSIX values.
            Span<byte> status = stackalloc byte[512];
            if (SystemNativeStat(path, ref MemoryMarshal.GetReference(status)) != 0)
                return Directory.Exists(path) || File.Exists(path) ? Kind.Unknown : Kind.Missing;
            int mode = BitConverter.ToInt32(status[4..8]);
            return (mode & 0xF000) switch
            {
                0x8000 => Kind.Regular,
                0x4000 => Kind.Directory,
                _ => Kind.Special,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Directory.Exists(path) ? Kind.Directory : File.Exists(path) ? Kind.Unknown : Kind.Missing;
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SystemNativeStat(string path, ref byte status);

    /// <summary>Whether a writer may replace what is at <paramref name="path"/>: nothing there, or a regular file.</summary>
    public static bool IsReplaceable(string path) => KindOf(path) is Kind.Missing or Kind.Regular or Kind.Unknown;

    /// <summary>Opens a regular file for reading; anything else is an <see cref="IOException"/> naming it.</summary>
    public static FileStream OpenRead(string path, int bufferSize = 1 << 16)
    {
        switch (KindOf(path))
        {
            case Kind.Missing: throw new FileNotFoundException($"'{path}' does not exist.", path);
            case Kind.Directory: throw new IOException($"'{path}' is a folder, not a file.");
            case Kind.Special: throw new IOException($"'{path}' is not a regular file (a device, FIFO or socket); give a file.");
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize);
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> of a regular file; a larger file is an <see cref="InvalidDataException"/>.
    /// A file growing while it is read (a run still writing) is read as it was when opened.
    /// </summary>
    public static byte[] ReadAllBytes(string path, long maxBytes = MaxJsonBytes)
    {
        using var stream = OpenRead(path, 1);
        long length = stream.Length;
        if (length > maxBytes)
            throw new InvalidDataException($"'{path}' is {Megabytes(length)}, more than the {Megabytes(maxBytes)} such a file may be.");
        var buffer = new byte[length];
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        // A device that reports size 0 but keeps producing bytes is not a file.
        if (read == length && length == 0 && stream.ReadByte() != -1)
            throw new IOException($"'{path}' is not a regular file; give a file.");
        return read == length ? buffer : buffer[..read];
    }

    /// <summary>Reads a regular file as UTF-8 text (a byte-order mark is skipped), at most <paramref name="maxBytes"/>.</summary>
    public static string ReadAllText(string path, long maxBytes = MaxJsonBytes)
    {
        var bytes = ReadAllBytes(path, maxBytes);
        var span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8)) span = span[3..];
        return Encoding.UTF8.GetString(span);
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
}
