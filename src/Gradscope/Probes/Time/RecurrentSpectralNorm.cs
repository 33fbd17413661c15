using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// W_hh's largest singular value λ₁, at the weights the step starts from; of a gated cell, the largest over its G
/// blocks. Pascanu, Mikolov &amp; Bengio (2013): the gradient through time of a plain RNN vanishes when λ₁ &lt; 1/γ
/// (<see cref="RecurrentBound{T}"/>), and can only explode when λ₁ &gt; 1/γ.
/// </summary>
internal sealed class RecurrentSpectralNorm<T>(RecurrentBlocks<T> blocks) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Power iteration's v and Wv, sized once.
    private double[] _vector = [], _product = [];

    public override string Quantity => Record.Quantity.RecurrentSpectralNorm;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        int h = layer.FanOut;
        if (_vector.Length != h) (_vector, _product) = (new double[h], new double[h]);
        double sigma = 0;
        for (int g = 0; g < RecurrentBlocks<T>.CountOf(layer); g++)
        {
            // A cold start for each block, so λ₁ depends on the weights alone.
            _vector.AsSpan().Clear();
            sigma = Math.Max(sigma, LinearAlgebra.SpectralNorm<double>(blocks.Block(context, view, g), h, h, _vector, _product, 200));
        }
        context.EmitThroughTime(layer.Index, Quantity, sigma);
    }
}
