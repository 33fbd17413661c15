using System.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>A normalised layer's extra tensors: û, 1/√(σ² + ε) per unit (batch) or per example (layer), and ∂C/∂u.</summary>
internal sealed class NormalizationBuffers<T> : LayerBuffers<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public NormalizationBuffers(ILayer<T> layer, int capacity) : base(layer, capacity)
    {
        Hat = new T[capacity * layer.FanOut];
        InverseStd = new double[Math.Max(capacity, layer.FanOut)];
        NormGradient = new T[capacity * layer.FanOut];
    }

    public T[] Hat { get; }
    public double[] InverseStd { get; }
    public T[] NormGradient { get; }

    /// <summary>Whether the last forward pass normalised with batch statistics (so backward differentiates through them).</summary>
    public bool BatchStatistics { get; set; }
}
