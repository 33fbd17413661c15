using System.Numerics;
using System.Runtime.CompilerServices;
using Gradscope.Model;

namespace Gradscope.Observation;

/// <summary>
/// Read-only view of layer l during backprop, handed to observers with no copy: its named tensors
/// (<see cref="LayerTensor"/>), its parameters with their gradients, what the engine summed for declared
/// <see cref="Needs"/>, and an optional time index t. Batch tensors are [BatchSize × width] (row x = example x);
/// δ^l is per example, the parameter gradients are means over the batch. Nothing here names a probe: an observer
/// reads what it measures. Observers must not keep the spans beyond the call.
/// </summary>
/// <remarks>
/// A layer without a time dimension gives one view per pass with <see cref="Time"/> null. A recurrent layer gives one
/// view per step t = 1…τ (<see cref="ILayer{T}.TimeSteps"/>), its tensors those of step t (z_t, h_t, δ_t = ∂C/∂z_t)
/// and its parameters' gradients summed over all steps, so a quantity written against this view works for both;
/// then one view with Time null showing its last step, for per-layer quantities.
/// </remarks>
public readonly ref struct LayerView<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Spans are made when asked for: an observer reading four tensors should not pay for building all of them.
    private readonly LayerBuffers<T> _buffers;
    private readonly ReadOnlySpan<T> _target;
    private readonly ReadOnlySpan<T> _input;
    private readonly int _n;
    private readonly int _step; // the time step the tensors come from, 0 for a layer without time

    internal LayerView(ILayer<T> layer, LayerBuffers<T> buffers, int batchSize, ReadOnlySpan<T> input, ReadOnlySpan<T> target,
        bool isOutput, int? time = null)
    {
        Layer = layer;
        _buffers = buffers;
        // Read from the buffers, which keep them: probes ask for these many times a view, and on the layer each is an interface call.
        Index = buffers.LayerIndex;
        FanIn = buffers.FanIn;
        FanOut = buffers.Width;
        _n = batchSize * FanOut;
        BatchSize = batchSize;
        _input = input;
        _target = target;
        IsOutput = isOutput;
        Time = time;
        // The whole-layer view of a layer with a time dimension shows its last step.
        _step = time ?? (buffers.HasSteps ? layer.TimeSteps : 0);
    }

    public ILayer<T> Layer { get; }

    /// <summary>Nielsen's l (1 = first hidden layer).</summary>
    public int Index { get; }
    public int BatchSize { get; }
    public int FanIn { get; }
    public int FanOut { get; }
    public Activation Activation => Layer.Activation;
    public bool IsOutput { get; }

    /// <summary>The time step t this view shows, or null for a layer without a time dimension.</summary>
    public int? Time { get; }

    public ReadOnlySpan<T> Input => _step > 0 ? _buffers.AtStep(LayerTensor.Input, BatchSize, _step) : _input;
    public ReadOnlySpan<T> Z
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _step > 0 ? _buffers.AtStep(LayerTensor.Z, BatchSize, _step) : new ReadOnlySpan<T>(_buffers.Z, 0, _n);
    }

    public ReadOnlySpan<T> A
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _step > 0 ? _buffers.AtStep(LayerTensor.A, BatchSize, _step) : new ReadOnlySpan<T>(_buffers.A, 0, _n);
    }

    public ReadOnlySpan<T> SigmaPrime
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _step > 0 ? _buffers.AtStep(LayerTensor.SigmaPrime, BatchSize, _step) : new ReadOnlySpan<T>(_buffers.SigmaPrime, 0, _n);
    }

    public ReadOnlySpan<T> Delta
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _step > 0 ? _buffers.AtStep(LayerTensor.Delta, BatchSize, _step) : new ReadOnlySpan<T>(_buffers.Delta, 0, _n);
    }

    public ReadOnlySpan<T> ActivationGradient => IsOutput ? default
        : _step > 0 ? _buffers.AtStep(LayerTensor.ActivationGradient, BatchSize, _step) : new ReadOnlySpan<T>(_buffers.ActivationGradient, 0, _n);
    public ReadOnlySpan<T> Target => IsOutput ? _target : default;

    /// <summary>A tensor by name.</summary>
    public ReadOnlySpan<T> Tensor(LayerTensor name) => name switch
    {
        LayerTensor.Input => Input,
        LayerTensor.Z => Z,
        LayerTensor.A => A,
        LayerTensor.SigmaPrime => SigmaPrime,
        LayerTensor.Delta => Delta,
        LayerTensor.ActivationGradient => ActivationGradient,
        LayerTensor.Target => Target,
        LayerTensor.Gates or LayerTensor.GateDelta or LayerTensor.CellState or LayerTensor.CellGradient =>
            _buffers.AtStep(name, BatchSize, Time ?? Layer.TimeSteps),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown layer tensor."),
    };

    /// <summary>Row <paramref name="example"/> of a [BatchSize × FanOut] tensor of this view.</summary>
    public ReadOnlySpan<T> Row(ReadOnlySpan<T> tensor, int example) => tensor.Slice(example * FanOut, FanOut);

    public int ParameterCount => Layer.Parameters.Count;

    /// <summary>The parameter in slot <paramref name="slot"/> with its gradient.</summary>
    public ParameterView<T> Parameter(int slot) => new(_buffers.Parameters[slot], _buffers.Gradients[slot]);

    /// <summary>The first parameter with <paramref name="role"/> and its gradient; an empty view when there is none.</summary>
    public ParameterView<T> Parameter(ParameterRole role)
    {
        int slot = _buffers.SlotOfRole[(int)role];
        return slot < 0 ? default : new(_buffers.Parameters[slot], _buffers.Gradients[slot]);
    }

    /// <summary>
    /// Σ over the batch of ‖tensor_x‖², when the engine summed it for a declared need on this pass
    /// (<see cref="Needs.SumOfSquares"/>); false when it did not, and the observer measures it itself.
    /// </summary>
    public bool TryGetSumOfSquares(LayerTensor tensor, out double value)
    {
        value = double.NaN;
        if (!_buffers.SquaresMeasured || Time is not null) return false;
        if (tensor == LayerTensor.Delta) value = _buffers.DeltaSquares;
        else if (tensor == LayerTensor.ActivationGradient && !IsOutput) value = _buffers.ActivationGradientSquares;
        else return false;
        return true;
    }
}
