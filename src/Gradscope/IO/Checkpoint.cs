using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.IO;

/// <summary>Where a checkpoint stands: the step, the epoch, how much of metrics.jsonl was written, the epoch summaries so far, and what the run does after training.</summary>
public sealed record CheckpointHeader
{
    public long Step { get; init; }
    public int Epoch { get; init; }
    public long MetricsLength { get; init; }
    public IReadOnlyList<EpochSummary> Epochs { get; init; } = [];
    public double Seconds { get; init; }
    public string? CheckpointEvery { get; init; }
    public int CheckpointsKept { get; init; } = 3;
    public string? SavePath { get; init; }
    public bool SaveInRunDirectory { get; init; } = true;
    public string Precision { get; init; } = "float32";

    /// <summary>The standardisation the run's inputs went through (a resumed run reads its data the same way).</summary>
    public Data.FeatureScaling? Scaling { get; init; }
}

/// <summary>
/// A run's checkpoint (docs/model-format.md): magic "GSCHECK1" · int32 version · int32 element size · int32 n ·
/// n bytes of UTF-8 JSON (<see cref="CheckpointHeader"/>) · every parameter and layer state array · the trainer's
/// state (step, shuffle stream, epoch order and position, optimiser state: moments, K-FAC factors) · the probes'
/// state. Files are <c>checkpoint-&lt;step&gt;.gsc</c> in the run directory, written atomically; the newest few are kept.
/// </summary>
public static class Checkpoint
{
    public const string Prefix = "checkpoint-";
    public const string Extension = ".gsc";
    private static ReadOnlySpan<byte> Magic => "GSCHECK1"u8;
    private const int Version = 1;

    /// <summary>Writes a checkpoint into <paramref name="runDirectory"/> and deletes all but the newest <see cref="CheckpointHeader.CheckpointsKept"/>.</summary>
    public static string Save<T>(string runDirectory, CheckpointHeader header, Network<T> network, Trainer<T> trainer, ICheckpointable? probes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(header);
        string path = Path.Combine(runDirectory, $"{Prefix}{header.Step.ToString("D10", CultureInfo.InvariantCulture)}{Extension}");
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, JsonDefaults.Compact);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(Marshal.SizeOf<T>());
            writer.Write(json.Length);
            writer.Write(json);
            foreach (var p in network.Parameters) StateIO.Write<T>(writer, p.Values);
            foreach (var layer in network.Layers)
                foreach (var state in layer.State) StateIO.Write<T>(writer, state);
            trainer.WriteState(writer);
            writer.Write(probes is not null);
            probes?.WriteState(writer);
        });
        foreach (string old in List(runDirectory).SkipLast(Math.Max(1, header.CheckpointsKept))) File.Delete(old);
        return path;
    }

    /// <summary>The checkpoints of a run directory, oldest first.</summary>
    public static IReadOnlyList<string> List(string runDirectory) =>
        Directory.Exists(runDirectory)
            ? [.. Directory.GetFiles(runDirectory, Prefix + "*" + Extension).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The header of a checkpoint, without its state.</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var stream = RegularFile.OpenRead(path);
        using var reader = new BinaryReader(stream);
        return Header(reader, path, out _);
    }

    /// <summary>Restores parameters, trainer and probes from a checkpoint written by the same run; returns its header.</summary>
    public static CheckpointHeader Restore<T>(string path, Network<T> network, Trainer<T> trainer, ICheckpointable? probes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stream = RegularFile.OpenRead(path);
        using var reader = new BinaryReader(stream);
        try
        {
            var header = Header(reader, path, out int elementSize);
            if (elementSize != Marshal.SizeOf<T>()) throw new InvalidDataException($"{path}: written in {(elementSize == 8 ? "float64" : "float32")}, the run is in {(typeof(T) == typeof(double) ? "float64" : "float32")}.");
            foreach (var p in network.Parameters) StateIO.ReadInto<T>(reader, p.Values, p.Name);
            foreach (var layer in network.Layers)
                foreach (var state in layer.State) StateIO.ReadInto<T>(reader, state, $"layer {layer.Index} state");
            trainer.ReadState(reader);
            bool hasProbes = reader.ReadBoolean();
            if (hasProbes != probes is not null) throw new InvalidDataException($"{path}: probes do not match this run.");
            probes?.ReadState(reader);
            if (stream.Position != stream.Length) throw new InvalidDataException($"{path}: {stream.Length - stream.Position} unexpected trailing bytes.");
            return header;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated.");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }

    private static CheckpointHeader Header(BinaryReader reader, string path, out int elementSize)
    {
        try
        {
            if (!reader.ReadBytes(8).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException($"{path} is not a Gradscope checkpoint (bad magic).");
            int version = reader.ReadInt32();
            if (version != Version) throw new InvalidDataException($"{path}: unsupported checkpoint version {version}.");
            elementSize = reader.ReadInt32();
            int length = reader.ReadInt32();
            if (length <= 0 || length > 64 << 20) throw new InvalidDataException($"{path}: bad header length {length}.");
            return JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadBytes(length), JsonDefaults.Options)
                ?? throw new InvalidDataException($"{path}: empty header.");
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: malformed header ({e.Message}).");
        }
    }
}
