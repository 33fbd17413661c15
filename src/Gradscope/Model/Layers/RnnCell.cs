using System.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// Elman's cell as PyTorch's <c>nn.RNN</c>: h_t = σ(z_t), z_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh, σ = tanh or
/// ReLU. Backward: δ_t = ∂C/∂h_t ⊙ σ'(z_t), and ∂C/∂h_{t−1} = W_hhᵀ δ_t: the product of t − k factors
/// W_hhᵀ diag(σ'(z)) that vanishes or explodes (Bengio, Simard &amp; Frasconi 1994).
/// </summary>
internal static class RnnCell
{
    /// <summary>z_t is in the gates' block t (the recurrent term already added); writes h_t and σ'(z_t).</summary>
    public static void Forward<T>(RecurrentLayer<T> layer, RecurrentBuffers<T> b, int t, int m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = layer.FanOut;
        layer.Activation.ForwardRows<T>(RecurrentBuffers<T>.Step(b.Gates, t, m, h), b.Hidden.AsSpan(t * m * h, m * h),
            RecurrentBuffers<T>.Step(b.Derivative, t, m, h), h);
    }

    public static void Backward<T>(RecurrentBuffers<T> b, int t, int m, int h) where T : unmanaged, IFloatingPointIeee754<T> =>
        System.Numerics.Tensors.TensorPrimitives.Multiply<T>(RecurrentBuffers<T>.Step(b.HiddenGradient, t, m, h),
            RecurrentBuffers<T>.Step(b.Derivative, t, m, h), RecurrentBuffers<T>.Step(b.GateDelta, t, m, h));
}
