using System.Numerics;

namespace Gradscope.Model;

/// <summary>
/// Weight layer l: z^l = W^l a^{l−1} + b^l, a^l = σ(z^l). W^l is stored row-major as [fanOut × fanIn], so
/// W_{jk} connects unit k of layer l−1 to unit j of layer l (Nielsen's convention).
/// </summary>
public sealed class DenseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal DenseLayer(int index, int fanIn, int fanOut, Activation activation)
    {
        Index = index;
        FanIn = fanIn;
        FanOut = fanOut;
        Activation = activation;
        Weights = new T[fanOut * fanIn];
        Biases = new T[fanOut];
    }

    /// <summary>Nielsen's l: 1 for the first hidden layer, L for the output layer.</summary>
    public int Index { get; }
    public int FanIn { get; }
    public int FanOut { get; }
    public Activation Activation { get; }

    /// <summary>W^l, row-major [FanOut × FanIn].</summary>
    public T[] Weights { get; }

    /// <summary>b^l, [FanOut].</summary>
    public T[] Biases { get; }

    public T Weight(int j, int k) => Weights[j * FanIn + k];
}
