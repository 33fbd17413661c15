using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Gradscope.Model;

namespace Gradscope.IO;

/// <summary>
/// Saves and loads a network's parameters, exactly. Layout (docs/model-format.md):
/// magic "GSMODEL1" · int32 version · int32 element size (4 = float32, 8 = float64) · int32 n · n bytes of
/// UTF-8 JSON (the <see cref="NetworkSpec"/>) · for l = 1…L: W^l row-major [out × in] then b^l, little-endian;
/// version 2 adds, after b^l of a normalised layer, γ^l and (batch normalisation) the running mean and
/// variance. Version 3 adds, after the last layer, the input standardisation: int32 n (0 = none), then n float64
/// means and n float64 scales. Versions 1 and 2 are still read.
/// </summary>
public static class ModelFile
{
    private static ReadOnlySpan<byte> Magic => "GSMODEL1"u8;
    private const int Version = 3;

    /// <summary>The conventional extension of a model file.</summary>
    public const string Extension = ".gsm";

    /// <summary>Writes the model atomically, with the standardisation its inputs need (or none).</summary>
    public static void Save<T>(Network<T> network, string path, Data.FeatureScaling? scaling = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(network.Spec, JsonDefaults.Compact);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(ElementSize<T>());
            writer.Write(header.Length);
            writer.Write(header);
            for (int l = 1; l <= network.Depth; l++)
                foreach (var values in Tensors(network, l)) WriteValues<T>(writer, values);
            writer.Write(scaling?.Features ?? 0);
            if (scaling is null) return;
            foreach (double m in scaling.Mean) writer.Write(m);
            foreach (double s in scaling.Scale) writer.Write(s);
        });
    }

    /// <summary>Loads a model; a file saved in the other precision is converted (exact only float32 → float64).</summary>
    public static Network<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T> => Read<T>(path).Network;

    /// <summary>Whether the file holds float64 values (else float32).</summary>
    public static bool IsFloat64(string path)
    {
        using var reader = new BinaryReader(RegularFile.OpenRead(path));
        if (!reader.ReadBytes(8).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException($"'{path}' is not a Gradscope model file (bad magic).");
        reader.ReadInt32();
        return reader.ReadInt32() == 8;
    }

    /// <summary>The spec a model file holds, without reading its values.</summary>
    public static NetworkSpec ReadSpec(string path) => Read<float>(path, specOnly: true).Network.Spec;

    /// <summary>The network and its input standardisation (null when it was saved without one).</summary>
    public static (Network<T> Network, Data.FeatureScaling? Scaling) Read<T>(string path) where T : unmanaged, IFloatingPointIeee754<T> =>
        Read<T>(path, specOnly: false);

    private static (Network<T> Network, Data.FeatureScaling? Scaling) Read<T>(string path, bool specOnly) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        using var stream = RegularFile.OpenRead(path);
        using var reader = new BinaryReader(stream);
        try
        {
            if (!reader.ReadBytes(8).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"'{path}' is not a Gradscope model file (bad magic).");
            int version = reader.ReadInt32();
            if (version is not (1 or 2 or Version)) throw new InvalidDataException($"'{path}': unsupported model format version {version}.");
            int elementSize = reader.ReadInt32();
            if (elementSize is not (4 or 8)) throw new InvalidDataException($"'{path}': bad element size {elementSize}.");
            int headerLength = reader.ReadInt32();
            if (headerLength <= 0 || headerLength > 1 << 20) throw new InvalidDataException($"'{path}': bad header length {headerLength}.");
            var spec = JsonSerializer.Deserialize<NetworkSpec>(reader.ReadBytes(headerLength), JsonDefaults.Options)
                ?? throw new InvalidDataException($"'{path}': empty network spec.");
            var network = Network<T>.CreateEmpty(spec);
            if (version == 1 && network.Parameters.Any(p => p.Role == ParameterRole.Gain))
                throw new InvalidDataException($"'{path}': a version 1 file cannot hold a normalised network.");
            if (specOnly) return (network, null);
            for (int l = 1; l <= network.Depth; l++)
                foreach (var values in Tensors(network, l)) ReadValues(reader, values, elementSize, path);
            Data.FeatureScaling? scaling = null;
            if (version >= 3)
            {
                int n = reader.ReadInt32();
                if (n != 0 && n != network.InputSize) throw new InvalidDataException($"'{path}': standardisation of {n} features for a network of {network.InputSize} inputs.");
                if (n > 0)
                {
                    var mean = new double[n];
                    var scale = new double[n];
                    for (int i = 0; i < n; i++) mean[i] = reader.ReadDouble();
                    for (int i = 0; i < n; i++) scale[i] = reader.ReadDouble();
                    scaling = new Data.FeatureScaling(mean, scale);
                }
            }
            if (stream.Position != stream.Length) throw new InvalidDataException($"'{path}': {stream.Length - stream.Position} unexpected trailing bytes.");
            return (network, scaling);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"'{path}' is truncated.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}': malformed network spec ({e.Message}).");
        }
    }

    /// <summary>
    /// The arrays of layer l in file order: W, b, γ, then the layer's state (batch normalisation's running mean and
    /// variance); an array the layer lacks is written empty, so the format is the same for every layer kind.
    /// </summary>
    private static T[][] Tensors<T>(Network<T> network, int l) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = network.Layer(l).State;
        return
        [
            network.Find(l, ParameterRole.Weight)?.Values ?? [],
            network.Find(l, ParameterRole.Bias)?.Values ?? [],
            network.Find(l, ParameterRole.Gain)?.Values ?? [],
            state.Count > 0 ? state[0] : [],
            state.Count > 1 ? state[1] : [],
        ];
    }

    private static int ElementSize<T>() where T : unmanaged => Marshal.SizeOf<T>();

    private static void WriteValues<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (BitConverter.IsLittleEndian)
        {
            writer.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        foreach (var v in values)
        {
            if (typeof(T) == typeof(float)) writer.Write(float.CreateTruncating(v));
            else writer.Write(double.CreateTruncating(v));
        }
    }

    private static void ReadValues<T>(BinaryReader reader, Span<T> values, int elementSize, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] bytes = reader.ReadBytes(values.Length * elementSize);
        if (bytes.Length != values.Length * elementSize) throw new InvalidDataException($"'{path}' is truncated.");
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = elementSize == 4
                ? T.CreateChecked(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)))
                : T.CreateChecked(BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8)));
        }
    }
}
