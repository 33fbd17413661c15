using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Numerics;

namespace Gradscope.Model;

/// <summary>
/// The tensors of one layer for up to <see cref="Capacity"/> examples, [examples × FanOut], and the mean gradient of
/// each of its parameters (slot order). Layers that keep more (a normaliser's û) extend it.
/// </summary>
public class LayerBuffers<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public LayerBuffers(ILayer<T> layer, int capacity) : this(layer, capacity, layer?.FanOut ?? 0)
    {
    }

    /// <summary>Buffers whose A and ∂C/∂a hold <paramref name="outputWidth"/> values per example (a whole sequence).</summary>
    protected LayerBuffers(ILayer<T> layer, int capacity, int outputWidth)
    {
        ArgumentNullException.ThrowIfNull(layer);
        Capacity = capacity;
        Width = layer.FanOut;
        LayerIndex = layer.Index;
        FanIn = layer.FanIn;
        int n = capacity * Math.Max(layer.FanOut, outputWidth);
        Z = new T[n];
        A = new T[n];
        SigmaPrime = new T[n];
        Delta = new T[n];
        ActivationGradient = new T[n];
        Gradients = new T[layer.Parameters.Count][];
        for (int s = 0; s < Gradients.Length; s++) Gradients[s] = new T[layer.Parameters[s].Length];
        SlotOfRole = new int[Enum.GetValues<ParameterRole>().Length];
        Array.Fill(SlotOfRole, -1);
        for (int s = Gradients.Length - 1; s >= 0; s--) SlotOfRole[(int)layer.Parameters[s].Role] = s;
        Parameters = [.. layer.Parameters];
    }

    /// <summary>The first parameter slot of each role, −1 for none: observers find a role's gradient without a search.</summary>
    internal int[] SlotOfRole { get; }

    /// <summary>The layer's parameters by slot, read once: a view hands them out many times a step.</summary>
    internal Parameter<T>[] Parameters { get; }

    public int Capacity { get; }

    /// <summary>The layer's index and fan-in, read once: every view of every step asks for them.</summary>
    internal int LayerIndex { get; }
    internal int FanIn { get; }

    /// <summary>Units per example (the layer's FanOut).</summary>
    public int Width { get; }

    public T[] Z { get; }
    public T[] A { get; }
    public T[] SigmaPrime { get; }

    /// <summary>δ^l = ∂C_x/∂z^l per example.</summary>
    public T[] Delta { get; }

    /// <summary>∂C_x/∂a^l per example, written by the next layer's backward pass.</summary>
    public T[] ActivationGradient { get; }

    /// <summary>Mean ∂C/∂θ over the batch, one array per parameter slot.</summary>
    public T[][] Gradients { get; }

    /// <summary>Σ_x ‖δ^l_x‖² and Σ_x ‖∂C_x/∂a^l‖² of the last backward pass, when <see cref="SquaresMeasured"/>.</summary>
    public double DeltaSquares { get; internal set; }
    public double ActivationGradientSquares { get; internal set; } = double.NaN;
    public bool SquaresMeasured { get; internal set; }

    /// <summary>Whether these buffers hold time steps (<see cref="AtStep"/>); a view without a time index then shows the last one.</summary>
    public bool HasSteps { get; protected init; }

    /// <summary>
    /// A tensor of time step t (1-based) of the first <paramref name="count"/> examples, [count × width], for a layer
    /// with a time dimension; empty for the others.
    /// </summary>
    public virtual ReadOnlySpan<T> AtStep(Observation.LayerTensor tensor, int count, int time) => default;

    /// <summary>
    /// δ^l = ∂C/∂a^l ⊙ σ'(z^l), the first step of every hidden layer's backward pass; with
    /// <see cref="PassContext.MeasureSquares"/> the two squared norms are summed in the same pass.
    /// </summary>
    public void FormDelta(in PassContext pass)
    {
        int n = pass.Count * Width;
        ReadOnlySpan<T> back = ActivationGradient.AsSpan(0, n);
        SquaresMeasured = pass.MeasureSquares;
        if (pass.MeasureSquares)
            (ActivationGradientSquares, DeltaSquares) = Reductions.MultiplyMeasured<T>(back, SigmaPrime.AsSpan(0, n), Delta.AsSpan(0, n));
        else TensorPrimitives.Multiply(back, SigmaPrime.AsSpan(0, n), Delta.AsSpan(0, n));
    }

    /// <summary>After the cost has written δ^L: sums ‖δ^L‖² when asked (the output has no ∂C/∂a to compare).</summary>
    public void DeltaFromCost(in PassContext pass)
    {
        SquaresMeasured = pass.MeasureSquares;
        ActivationGradientSquares = double.NaN;
        if (pass.MeasureSquares) DeltaSquares = Reductions.SumOfSquares<T>(Delta.AsSpan(0, pass.Count * Width));
    }
}
