using System.Numerics;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// Pascanu, Mikolov &amp; Bengio (2013)'s condition: the gradient through time of a plain RNN vanishes when W_hh's
/// largest singular value λ₁ &lt; 1/γ, γ the bound of |σ'| (1 for tanh and ReLU, ¼ for the sigmoid), and can only
/// explode when λ₁ &gt; 1/γ. Records λ₁, the spectral radius ρ (|λ| of the eigenvalue that rules long products)
/// and 1/γ, at the weights the step starts from. A gated cell's W_hh is G stacked H×H blocks: the largest λ₁ and ρ over its blocks.
/// </summary>
internal sealed class RecurrentSpectrum<T> : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Scratch for the block, the power iteration (v, Wv) and Gelfand's squarings, sized once: the probe is due every
    // reference step and a 128-wide block's two squaring matrices alone are 256 KB.
    private double[] _block = [], _vector = [], _product = [], _power = [], _square = [];

    public override string Quantity => Record.Quantity.RecurrentSpectralNorm;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        int h = layer.FanOut;
        if (_block.Length != h * h)
        {
            _block = new double[h * h];
            _vector = new double[h];
            _product = new double[h];
            _power = new double[h * h];
            _square = new double[h * h];
        }
        ReadOnlySpan<T> w = layer.RecurrentWeights.Values;
        double sigma = 0, rho = 0;
        for (int g = 0; g < (int)layer.Cell; g++)
        {
            var block = w.Slice(g * h * h, h * h);
            for (int i = 0; i < block.Length; i++) _block[i] = double.CreateTruncating(block[i]);
            _vector.AsSpan().Clear();
            sigma = Math.Max(sigma, LinearAlgebra.SpectralNorm<double>(_block, h, h, _vector, _product, 200));
            rho = Math.Max(rho, SpectralRadius.Of(_block, h, _power, _square));
        }
        context.EmitThroughTime(layer.Index, Record.Quantity.RecurrentSpectralNorm, sigma);
        context.EmitThroughTime(layer.Index, Record.Quantity.RecurrentSpectralRadius, rho);
        context.EmitThroughTime(layer.Index, Record.Quantity.RecurrentBound, 1 / layer.Activation.MaxDerivative);
    }
}
