using System.IO.Compression;

namespace Gradscope.IO;

/// <summary>
/// NumPy's <c>.npz</c>: a zip archive of <c>.npy</c> files, one per named array (<c>np.savez</c>, stored;
/// <c>np.savez_compressed</c>, deflated — both read). Written stored, atomically, entries in the order given.
/// </summary>
public static class Npz
{
    /// <summary>Every array in the file by name (without <c>.npy</c>), in archive order.</summary>
    public static IReadOnlyList<(string Name, NpyArray Array)> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist.", path);
        try
        {
            using var zip = new ZipArchive(RegularFile.OpenRead(path));
            var arrays = new List<(string, NpyArray)>();
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                using var stream = entry.Open();
                string name = entry.FullName[..^4];
                arrays.Add((name, Npy.Read(stream, $"{path}: array '{name}'")));
            }
            return arrays;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: not a NumPy .npz archive ({e.Message})");
        }
    }

    /// <summary>Writes the arrays (values row-major with their shapes) as an uncompressed .npz, atomically.</summary>
    public static void Write(string path, IEnumerable<(string Name, double[] Values, int[] Shape)> arrays, bool asFloat32 = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var list = arrays.ToList();
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, values, shape) in list)
            {
                var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
                // A fixed time keeps the file's bytes a function of its arrays alone.
                entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var s = entry.Open();
                Npy.Write(s, values, shape, asFloat32);
            }
        });
    }
}
