using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// W_hh's spectral radius ρ, |λ| of the eigenvalue that rules long products W_hh^k, at the weights the step starts
/// from; of a gated cell, the largest over its G blocks.
/// </summary>
internal sealed class RecurrentSpectralRadius<T>(RecurrentBlocks<T> blocks) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Gelfand's squarings: two H×H matrices, sized once (a 128-wide block's two are 256 KB).
    private double[] _power = [], _square = [];

    public override string Quantity => Record.Quantity.RecurrentSpectralRadius;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        int h = layer.FanOut;
        if (_power.Length != h * h) (_power, _square) = (new double[h * h], new double[h * h]);
        double rho = 0;
        for (int g = 0; g < RecurrentBlocks<T>.CountOf(layer); g++)
            rho = Math.Max(rho, SpectralRadius.Of(blocks.Block(context, view, g), h, _power, _square));
        context.EmitThroughTime(layer.Index, Quantity, rho);
    }
}
