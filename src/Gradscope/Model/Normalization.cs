namespace Gradscope.Model;

/// <summary>How a hidden layer normalises its dense product before the activation (see <see cref="Layers.NormalizedLayer{T}"/>).</summary>
public enum Normalization
{
    None,

    /// <summary>Batch normalisation (Ioffe &amp; Szegedy 2015): each unit over the mini-batch; running averages at evaluation.</summary>
    Batch,

    /// <summary>Layer normalisation (Ba et al. 2016): each example over the layer's units; the same in training and evaluation.</summary>
    Layer,
}
