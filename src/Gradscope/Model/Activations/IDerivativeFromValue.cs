using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>
/// σ' as a function of a = σ(z), for activations whose value comes from System.Numerics.Tensors (sigmoid, tanh):
/// the value keeps that library's bits, and σ' follows in one pass over a (<see cref="ActivationKernel.FromValue"/>).
/// </summary>
internal interface IDerivativeFromValue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T Invoke(T a);
    Vector256<T> Invoke(Vector256<T> a);
    Vector512<T> Invoke(Vector512<T> a);
}
