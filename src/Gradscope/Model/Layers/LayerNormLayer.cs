using System.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// Layer normalisation (Ba et al. 2016): μ and σ² per example over the layer's units, the same in training and
/// evaluation; ∂C/∂u = (1/σ)(d − mean(d) − û·mean(d ⊙ û)) with the means over the units of each example.
/// </summary>
public sealed class LayerNormLayer<T> : NormalizedLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public LayerNormLayer(int index, int fanIn, int fanOut, Activation activation) : base(index, fanIn, fanOut, activation) { }

    private protected override void Normalize(Span<T> hat, NormalizationBuffers<T> buffers, in PassContext pass)
    {
        for (int r = 0; r < pass.Count; r++)
            buffers.InverseStd[r] = Standardization.Standardize(hat.Slice(r * FanOut, FanOut), 1);
    }

    private protected override void NormalizeBackward(Span<T> d, ReadOnlySpan<T> hat, NormalizationBuffers<T> buffers, int count)
    {
        for (int r = 0; r < count; r++)
            Standardization.Project(d.Slice(r * FanOut, FanOut), hat.Slice(r * FanOut, FanOut), 1, FanOut, buffers.InverseStd[r]);
    }
}
