using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// The dense product u = a^{l−1} (W^l)ᵀ shared by the weight layers, forward and backward:
/// ∂C/∂W = (1/m) sᵀ a^{l−1}, ∂C/∂a^{l−1} = s W, with s = δ^l (or ∂C/∂u through a normaliser), and ∂C/∂b = (1/m) Σ_x δ^l_x.
/// </summary>
internal static class DenseProduct
{
    public static void Forward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> w, Span<T> u, int fanIn, int fanOut, in PassContext pass)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Gemm.Multiply(false, true, pass.Count, fanOut, fanIn, T.One, input, fanIn, w, fanIn, T.Zero, u, fanOut, pass.Pool);

    /// <summary>z = u + b, row by row.</summary>
    public static void AddBias<T>(Span<T> z, ReadOnlySpan<T> b, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = b.Length;
        for (int r = 0; r < count; r++)
        {
            Span<T> row = z.Slice(r * width, width);
            TensorPrimitives.Add(row, b, row);
        }
    }

    public static void WeightGradient<T>(ReadOnlySpan<T> source, ReadOnlySpan<T> input, Span<T> nablaW, int fanIn, int fanOut, in PassContext pass)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Gemm.Multiply(true, false, fanOut, fanIn, pass.Count,
            T.One / T.CreateChecked(pass.Count), source, fanOut, input, fanIn, T.Zero, nablaW, fanIn, pass.Pool);

    public static void BiasGradient<T>(ReadOnlySpan<T> delta, Span<T> nablaB, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = nablaB.Length;
        delta[..width].CopyTo(nablaB);
        for (int r = 1; r < count; r++) TensorPrimitives.Add(nablaB, delta.Slice(r * width, width), nablaB);
        TensorPrimitives.Multiply(nablaB, T.One / T.CreateChecked(count), nablaB);
    }

    public static void InputGradient<T>(ReadOnlySpan<T> source, ReadOnlySpan<T> w, Span<T> inputGradient, int fanIn, int fanOut, in PassContext pass)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Gemm.Multiply(false, false, pass.Count, fanIn, fanOut, T.One, source, fanOut, w, fanIn, T.Zero, inputGradient, fanIn, pass.Pool);
}
