using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>
/// An element-wise activation as a <c>readonly struct</c> operator (the System.Numerics.Tensors pattern): σ and σ'
/// together, in scalar and 256- and 512-bit vector form, so <see cref="ActivationKernel"/> writes a and σ' in one
/// fused pass and one generic kernel serves float and double. Instance members, so an operator can carry its
/// parameter (leaky ReLU's and ELU's α); the kernel is instantiated per struct, so the calls inline.
/// </summary>
internal interface IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Whether the vector forms are used. False where the vector form would not give the scalar form's bits (a
    /// vector e^z is not Math.Exp), and those bits are the ones the runs were recorded with.
    /// </summary>
    static abstract bool Vectorizable { get; }

    /// <summary>σ(z), with σ'(z) in <paramref name="derivative"/>.</summary>
    T Invoke(T z, out T derivative);

    /// <summary>σ and σ' of a vector of z.</summary>
    Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative);

    /// <inheritdoc cref="Invoke(Vector256{T}, out Vector256{T})"/>
    Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative);
}
