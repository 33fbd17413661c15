using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// W_hh of the layer being measured as G square H×H blocks in double (one per gate; one for a plain RNN), at the
/// weights the step starts from: converted once per view by whichever spectrum probe asks first. Sized once, since
/// the probes are due every reference step.
/// </summary>
internal sealed class RecurrentBlocks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double[] _values = [];
    private long _view = -1;

    private int _side;

    /// <summary>Block g (row-major H×H) of the view's W_hh, converted on first use.</summary>
    public ReadOnlySpan<double> Block(ProbeContext<T> context, in LayerView<T> view, int g)
    {
        if (_view != context.ViewSerial) Convert(context, view);
        return _values.AsSpan(g * _side * _side, _side * _side);
    }

    /// <summary>The number of blocks of the view's layer (measures nothing).</summary>
    public static int CountOf(RecurrentLayer<T> layer) => (int)layer.Cell;

    private void Convert(ProbeContext<T> context, in LayerView<T> view)
    {
        _view = context.ViewSerial;
        var layer = (RecurrentLayer<T>)view.Layer;
        ReadOnlySpan<T> w = layer.RecurrentWeights.Values;
        _side = layer.FanOut;
        if (_values.Length != w.Length) _values = new double[w.Length];
        for (int i = 0; i < w.Length; i++) _values[i] = double.CreateTruncating(w[i]);
    }
}
