using System.Numerics;

namespace Gradscope.Model;

/// <summary>
/// Weight layer l: z^l = W^l a^{l−1} + b^l, a^l = σ(z^l). W^l is stored row-major as [fanOut × fanIn], so
/// W_{jk} connects unit k of layer l−1 to unit j of layer l (Nielsen's convention).
/// With normalisation the dense product u = W^l a^{l−1} is normalised to û and z^l = γ^l ⊙ û + b^l: the bias
/// takes the role of the normaliser's shift β (a bias added before the normaliser would be cancelled by it),
/// so z^l is still the input of σ, δ^l = ∂C/∂z^l, and ‖∂C/∂b^l‖ keeps Nielsen's meaning.
/// A residual layer adds its input: a^l = σ(z^l) + a^{l−1}.
/// </summary>
public sealed class DenseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>ε added to the variance before the square root of every normaliser.</summary>
    public const double NormEpsilon = 1e-5;

    /// <summary>Weight of the newest batch in batch normalisation's running averages.</summary>
    public const double RunningMomentum = 0.1;

    internal DenseLayer(int index, int fanIn, int fanOut, Activation activation,
        Normalization normalization = Normalization.None, bool residual = false)
    {
        Index = index;
        FanIn = fanIn;
        FanOut = fanOut;
        Activation = activation;
        Normalization = normalization;
        Residual = residual;
        Weights = new T[fanOut * fanIn];
        Biases = new T[fanOut];
        Scale = new T[normalization == Normalization.None ? 0 : fanOut];
        Scale.AsSpan().Fill(T.One);
        int running = normalization == Normalization.Batch ? fanOut : 0;
        RunningMean = new T[running];
        RunningVariance = new T[running];
        RunningVariance.AsSpan().Fill(T.One);
    }

    /// <summary>Nielsen's l: 1 for the first hidden layer, L for the output layer.</summary>
    public int Index { get; }
    public int FanIn { get; }
    public int FanOut { get; }
    public Activation Activation { get; }
    public Normalization Normalization { get; }

    /// <summary>Whether a^l = σ(z^l) + a^{l−1} (hidden layers whose fan-in equals their fan-out).</summary>
    public bool Residual { get; }

    /// <summary>W^l, row-major [FanOut × FanIn].</summary>
    public T[] Weights { get; }

    /// <summary>b^l, [FanOut] (the shift β of a normalised layer).</summary>
    public T[] Biases { get; }

    /// <summary>γ^l, the normaliser's gain, [FanOut]; empty without normalisation.</summary>
    public T[] Scale { get; }

    /// <summary>Batch normalisation's running mean of u per unit (used at evaluation); empty otherwise.</summary>
    public T[] RunningMean { get; }

    /// <summary>Batch normalisation's running (unbiased) variance of u per unit; empty otherwise.</summary>
    public T[] RunningVariance { get; }

    public T Weight(int j, int k) => Weights[j * FanIn + k];
}
