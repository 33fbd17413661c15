using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using TorchSharp.Modules;

namespace Gradscope.TorchSharp;

/// <summary>
/// An element-wise activation module seen after a layer. σ' is computed from its output a, as the engine's
/// activations do: sigmoid a − a², tanh 1 − a², ReLU [a &gt; 0], leaky ReLU [a &gt; 0] or its slope. Others (GELU,
/// ELU, softmax, …) are named, but σ' cannot be had from their output: it is not measured.
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

    /// <summary>σ'(z) from a = σ(z), element-wise into <paramref name="destination"/>.</summary>
    public void SigmaPrime<T>(ReadOnlySpan<T> a, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Name)
        {
            case "sigmoid":
                // σ' = a − a², from a so nothing calls exp again (Sigmoid.cs).
                TensorPrimitives.Multiply(a, a, destination);
                TensorPrimitives.Subtract(a, destination, destination);
                break;
            case "tanh":
                TensorPrimitives.Multiply(a, a, destination);
                TensorPrimitives.Subtract(T.One, destination, destination);
                break;
            default:
                // ReLU and leaky ReLU: a > 0 exactly when z > 0.
                T slope = T.CreateTruncating(Slope);
                for (int i = 0; i < a.Length; i++) destination[i] = a[i] > T.Zero ? T.One : slope;
                break;
        }
    }
}
