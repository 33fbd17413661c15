using System.Globalization;
using System.Numerics;
using TorchSharp.Modules;

namespace Gradscope.TorchSharp;

/// <summary>
/// An element-wise activation module seen after a layer. σ' is computed from its output a, as the engine's
/// activations do: sigmoid a − a², tanh 1 − a², ReLU [a &gt; 0], leaky ReLU [a &gt; 0] or its slope. Others (GELU,
/// ELU, softmax, …) are named, but σ' cannot be had from their output: it is not measured. The operators are in
/// DerivativeFromOutput.cs.
/// </summary>
internal sealed record ActivationKind(string Name, double MaxDerivative, double Slope = 0)
{
    public bool HasSigmaPrime => MaxDerivative > 0;

    public static ActivationKind? Of(global::TorchSharp.torch.nn.Module module) => module switch
    {
        Sigmoid => new("sigmoid", 0.25),
        Tanh => new("tanh", 1.0),
        ReLU => new("relu", 1.0),
        LeakyReLU l => new($"leaky-relu:{l.negative_slope.ToString("R", CultureInfo.InvariantCulture)}", Math.Max(1.0, l.negative_slope), l.negative_slope),
        GELU => new("gelu", 0),
        ELU => new("elu", 0),
        SELU => new("selu", 0),
        Softplus => new("softplus", 0),
        Softsign => new("softsign", 0),
        Softmax => new("softmax", 0),
        LogSoftmax => new("log-softmax", 0),
        _ => null,
    };

    /// <summary>Σa, Σa² and σ' statistics of a = σ(z) in one pass (saturated: σ' below 1% of its maximum).</summary>
    public ActivationSums Statistics<T>(ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateTruncating(Slope), threshold = T.CreateTruncating(0.01 * MaxDerivative);
        return Name switch
        {
            "sigmoid" => OutputKernels.Statistics<T, SigmoidFromOutput<T>>(a, slope, threshold),
            "tanh" => OutputKernels.Statistics<T, TanhFromOutput<T>>(a, slope, threshold),
            _ => OutputKernels.Statistics<T, StepFromOutput<T>>(a, slope, threshold),
        };
    }

    /// <summary>‖∂L/∂a‖² and ‖∂L/∂z‖² from ∂L/∂a and a, in one pass (<see cref="OutputKernels.GradientSquares"/>).</summary>
    public (double Gradient, double Delta) GradientSquares<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateTruncating(Slope);
        return Name switch
        {
            "sigmoid" => OutputKernels.GradientSquares<T, SigmoidFromOutput<T>>(g, a, slope),
            "tanh" => OutputKernels.GradientSquares<T, TanhFromOutput<T>>(g, a, slope),
            _ => OutputKernels.GradientSquares<T, StepFromOutput<T>>(g, a, slope),
        };
    }

    /// <summary>δ = ∂L/∂a ⊙ σ'(a) into <paramref name="delta"/> (<see cref="OutputKernels.Delta"/>).</summary>
    public void Delta<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateTruncating(Slope);
        switch (Name)
        {
            case "sigmoid": OutputKernels.Delta<T, SigmoidFromOutput<T>>(g, a, slope, delta); break;
            case "tanh": OutputKernels.Delta<T, TanhFromOutput<T>>(g, a, slope, delta); break;
            default: OutputKernels.Delta<T, StepFromOutput<T>>(g, a, slope, delta); break;
        }
    }
}
