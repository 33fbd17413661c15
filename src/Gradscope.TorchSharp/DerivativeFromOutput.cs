using System.Numerics;

namespace Gradscope.TorchSharp;

/// <summary>
/// σ'(z) read from the activation's output a = σ(z), as a scalar and a vector operator, so one generic kernel
/// (<see cref="OutputKernels"/>) serves every activation whose derivative follows from its output. The slope is leaky
/// ReLU's; the others ignore it.
/// </summary>
internal interface IDerivativeFromOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Invoke(T a, T slope);
    static abstract Vector<T> Invoke(Vector<T> a, Vector<T> slope);
}

/// <summary>σ' = a − a² for the sigmoid, written so, not as a(1 − a), to round as the engine's Sigmoid.cs does.</summary>
internal readonly struct SigmoidFromOutput<T> : IDerivativeFromOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T slope) => a - a * a;
    public static Vector<T> Invoke(Vector<T> a, Vector<T> slope) => a - a * a;
}

/// <summary>σ' = 1 − a² for tanh.</summary>
internal readonly struct TanhFromOutput<T> : IDerivativeFromOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T slope) => T.One - a * a;
    public static Vector<T> Invoke(Vector<T> a, Vector<T> slope) => Vector<T>.One - a * a;
}

/// <summary>σ' = 1 where a &gt; 0, else the slope (0 for ReLU): for a non-negative slope a &gt; 0 exactly when z &gt; 0.</summary>
internal readonly struct StepFromOutput<T> : IDerivativeFromOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T a, T slope) => a > T.Zero ? T.One : slope;
    public static Vector<T> Invoke(Vector<T> a, Vector<T> slope) => Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<T>.Zero), Vector<T>.One, slope);
}
