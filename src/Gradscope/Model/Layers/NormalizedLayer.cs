using System.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// A weight layer that normalises its dense product u = W^l a^{l−1} before the activation:
/// û = (u − μ)/√(σ² + ε), z^l = γ^l ⊙ û + b^l, a^l = σ(z^l). The bias takes the role of the normaliser's shift β
/// (a bias added before the normaliser would be cancelled by it), so z^l is still σ's input, δ^l = ∂C/∂z^l, and
/// ‖∂C/∂b^l‖ keeps Nielsen's meaning. Backward: ∂C/∂γ = (1/m) Σ_x δ ⊙ û, then ∂C/∂u from d = γ ⊙ δ through the
/// normaliser (<see cref="NormalizeBackward"/>), and the dense product's gradients from ∂C/∂u.
/// Where μ and σ² are taken is the subclass's: per unit over the batch (<see cref="BatchNormLayer{T}"/>) or per
/// example over the units (<see cref="LayerNormLayer{T}"/>). Statistics are accumulated in float64.
/// </summary>
public abstract class NormalizedLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>ε added to the variance before the square root.</summary>
    public const double NormEpsilon = 1e-5;

    private protected NormalizedLayer(int index, int fanIn, int fanOut, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        Index = index;
        FanIn = fanIn;
        FanOut = fanOut;
        Activation = activation;
        Weights = new Parameter<T>($"W^{index}", ParameterRole.Weight, index, fanOut, fanIn);
        Biases = new Parameter<T>($"b^{index}", ParameterRole.Bias, index, fanOut, 1) { Slot = 1 };
        Gains = new Parameter<T>($"γ^{index}", ParameterRole.Gain, index, fanOut, 1) { Slot = 2 };
        Gains.Values.AsSpan().Fill(T.One);
        Parameters = [Weights, Biases, Gains];
    }

    public int Index { get; }
    public int FanIn { get; }
    public int FanOut { get; }
    public Activation Activation { get; }
    public Parameter<T> Weights { get; }

    /// <summary>b^l, the normaliser's shift β.</summary>
    public Parameter<T> Biases { get; }

    /// <summary>γ^l, the normaliser's gain (1 at creation).</summary>
    public Parameter<T> Gains { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }
    public virtual IReadOnlyList<T[]> State => [];

    public LayerBuffers<T> CreateBuffers(int capacity) => new NormalizationBuffers<T>(this, capacity);

    public void Forward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, in PassContext pass)
    {
        var b = (NormalizationBuffers<T>)buffers;
        int n = pass.Count * FanOut;
        Span<T> hat = b.Hat.AsSpan(0, n);
        DenseProduct.Forward(input, Weights.Values, hat, FanIn, FanOut, pass);
        Normalize(hat, b, pass);
        Span<T> z = b.Z.AsSpan(0, n);
        T[] gamma = Gains.Values, beta = Biases.Values;
        for (int r = 0; r < pass.Count; r++)
            for (int j = 0; j < FanOut; j++)
                z[r * FanOut + j] = gamma[j] * hat[r * FanOut + j] + beta[j];
        Activation.ForwardRows<T>(z, b.A.AsSpan(0, n), b.SigmaPrime.AsSpan(0, n), FanOut);
    }

    public void Backward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, Span<T> inputGradient, in PassContext pass)
    {
        var b = (NormalizationBuffers<T>)buffers;
        if (!pass.DeltaGiven) b.FormDelta(pass);
        int count = pass.Count, n = count * FanOut;
        ReadOnlySpan<T> delta = b.Delta.AsSpan(0, n);
        ReadOnlySpan<T> hat = b.Hat.AsSpan(0, n);
        Span<T> d = b.NormGradient.AsSpan(0, n);
        Span<T> nablaGamma = b.Gradients[2];
        T[] gamma = Gains.Values;
        for (int j = 0; j < FanOut; j++)
        {
            double sum = 0;
            for (int r = 0; r < count; r++) sum += double.CreateTruncating(delta[r * FanOut + j] * hat[r * FanOut + j]);
            nablaGamma[j] = T.CreateTruncating(sum / count);
        }
        for (int r = 0; r < count; r++)
            for (int j = 0; j < FanOut; j++) d[r * FanOut + j] = gamma[j] * delta[r * FanOut + j];
        NormalizeBackward(d, hat, b, count);

        DenseProduct.WeightGradient<T>(d, input, b.Gradients[0], FanIn, FanOut, pass);
        DenseProduct.BiasGradient(delta, b.Gradients[1], count);
        if (!inputGradient.IsEmpty) DenseProduct.InputGradient<T>(d, Weights.Values, inputGradient, FanIn, FanOut, pass);
    }

    /// <summary>Standardises u (in <paramref name="hat"/>) in place, leaving 1/√(σ² + ε) in <see cref="NormalizationBuffers{T}.InverseStd"/>.</summary>
    private protected abstract void Normalize(Span<T> hat, NormalizationBuffers<T> buffers, in PassContext pass);

    /// <summary>Turns d = γ ⊙ δ into ∂C/∂u in place.</summary>
    private protected abstract void NormalizeBackward(Span<T> d, ReadOnlySpan<T> hat, NormalizationBuffers<T> buffers, int count);
}
