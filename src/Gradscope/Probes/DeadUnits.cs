using System.Numerics;

namespace Gradscope.Probes;

/// <summary>
/// The dead-unit rule, for every writer of <see cref="Quantity.DeadFraction"/> (the engine's probe and the
/// TorchSharp adapter): a unit is dead when it output exactly 0 on every one of the last W examples measured. One
/// batch is not enough: a healthy He-initialised ReLU unit that fires on a fraction p of inputs is silent on a batch
/// of 10 with probability (1 − p)¹⁰, and batch by batch a fifth of a healthy layer looked dead. Each unit keeps the
/// number of examples measured since it last fired.
/// </summary>
public sealed class DeadUnits(int layers)
{
    private readonly long[]?[] _silent = new long[]?[layers]; // per layer, per unit: examples since it last output non-zero
    private readonly long[] _seen = new long[layers];         // per layer: examples measured
    private int[] _last = [];                                  // scratch: each unit's last firing row in this batch

    /// <summary>
    /// Takes one batch a^l ([rows × width], row = example) of layer l (1-based) and returns the share of its units
    /// silent on every one of the last <paramref name="window"/> examples measured, or null while fewer than
    /// <paramref name="window"/> examples have been measured (too few to tell).
    /// </summary>
    public double? Observe<T>(int layer, ReadOnlySpan<T> a, int rows, int width, long window) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layer < 1 || layer > _silent.Length) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Layers are 1…{_silent.Length}.");
        if (a.Length < rows * width) throw new ArgumentException("a^l shorter than rows × width.", nameof(a));
        var silent = _silent[layer - 1] is { } s && s.Length == width ? s : _silent[layer - 1] = new long[width];
        var last = _last.Length >= width ? _last : _last = new int[width];
        Numerics.Reductions.LastNonZeroRows(a, rows, width, last);
        int dead = 0;
        for (int j = 0; j < width; j++)
        {
            long n = silent[j] = last[j] >= 0 ? rows - 1 - last[j] : silent[j] + rows;
            if (n >= window) dead++;
        }
        _seen[layer - 1] += rows;
        if (_seen[layer - 1] < window || width == 0) return null;
        return dead / (double)width;
    }

    /// <summary>The window for a probe set: <see cref="Quantity.DeadWindow"/> examples, or the whole reference set when it is smaller.</summary>
    public static long Window(ProbeOptions options) => Math.Min(Quantity.DeadWindow, (options ?? throw new ArgumentNullException(nameof(options))).ReferenceSize);

    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        for (int l = 0; l < _silent.Length; l++)
        {
            writer.Write(_seen[l]);
            IO.StateIO.Write<long>(writer, _silent[l] ?? []);
        }
    }

    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        for (int l = 0; l < _silent.Length; l++)
        {
            _seen[l] = reader.ReadInt64();
            var silent = IO.StateIO.Read<long>(reader);
            _silent[l] = silent.Length == 0 ? null : silent;
        }
    }
}
