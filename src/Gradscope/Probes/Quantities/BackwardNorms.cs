using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// The one pass behind ‖δ^l‖, the gain and its two factors: ‖δ^l‖ and ‖∂C/∂a^l‖ as root-mean-squares over the
/// batch of each example's norm, √(Σ_x ‖row_x‖²/m) = ‖matrix‖_F/√m, and whether z^l is finite. The sums come from
/// backprop when it made them for the declared need; otherwise one fused pass takes all three. Kept per layer for
/// the step, since the gain of layer l divides by ‖δ^{l+1}‖, seen one view earlier.
/// </summary>
internal sealed class BackwardNorms<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // ‖δ^l‖ of each layer this step, for the gain of the layer below; and the view measured last, which every probe
    // of a view asks about after the first: one comparison, not an array lookup each.
    private readonly double[] _deltaOf;
    private long _view = -1;
    private double _delta, _back;
    private bool _zFinite;

    public BackwardNorms(int depth) => _deltaOf = new double[depth + 2];

    /// <summary>Σ‖δ‖² and Σ‖∂C/∂a‖², summed in the pass that forms δ.</summary>
    public static Needs Needs => Needs.SumOfSquares(LayerTensor.Delta) | Needs.SumOfSquares(LayerTensor.ActivationGradient);

    /// <summary>‖δ^l‖ of the view (measured on first use).</summary>
    public double Delta(ProbeContext<T> context, in LayerView<T> view)
    {
        Ensure(context, view);
        return _delta;
    }

    /// <summary>‖∂C/∂a^l‖ of the view; NaN on the output layer, whose δ comes from the cost.</summary>
    public double ActivationGradient(ProbeContext<T> context, in LayerView<T> view)
    {
        Ensure(context, view);
        return _back;
    }

    /// <summary>‖δ^{l+1}‖ of this step, from the view before.</summary>
    public double DeltaAbove(in LayerView<T> view) => _deltaOf[view.Index + 1];

    public bool ZFinite(ProbeContext<T> context, in LayerView<T> view)
    {
        Ensure(context, view);
        return _zFinite;
    }

    // Every probe of the pass asks, the first one measures: the check is inlined, the measurement is not.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Ensure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (_view != context.ViewSerial) Measure(context, view);
    }

    private void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        _view = context.ViewSerial;
        double rows = Math.Sqrt(view.BatchSize), delta, back = double.NaN;
        if (view.TryGetSumOfSquares(LayerTensor.Delta, out double deltaSquares))
        {
            // Summed by backprop as it formed δ: only z is left to look at.
            delta = Math.Sqrt(deltaSquares) / rows;
            if (view.TryGetSumOfSquares(LayerTensor.ActivationGradient, out double backSquares)) back = Math.Sqrt(backSquares) / rows;
            _zFinite = ProbeContext<T>.AllFinite(view.Z);
        }
        else if (view.IsOutput)
        {
            delta = Numerics.Reductions.Norm(view.Delta) / rows;
            _zFinite = ProbeContext<T>.AllFinite(view.Z);
        }
        else
        {
            var (squares, backSquares, finite) = Numerics.Reductions.LayerNorms(view.Delta, view.ActivationGradient, view.Z);
            (delta, back, _zFinite) = (Math.Sqrt(squares) / rows, Math.Sqrt(backSquares) / rows, finite);
        }
        _deltaOf[view.Index] = _delta = delta;
        _back = back;
    }
}
