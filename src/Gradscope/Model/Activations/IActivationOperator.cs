using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>
/// An element-wise activation as a <c>readonly struct</c> operator (the System.Numerics.Tensors pattern): σ and σ'
/// together, in scalar and 512-bit vector form, so <see cref="ActivationKernel"/> writes a and σ' in one fused pass
/// and one generic kernel serves float and double.
/// </summary>
internal interface IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>σ(z), with σ'(z) in <paramref name="derivative"/>.</summary>
    static abstract T Invoke(T z, out T derivative);

    /// <summary>σ and σ' of a vector of z.</summary>
    static abstract Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative);
}
