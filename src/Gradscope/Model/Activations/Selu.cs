using System.Numerics;

namespace Gradscope.Model.Activations;

/// <summary>
/// σ(z) = λz for z &gt; 0 else λα(e^z − 1), with Klambauer et al.'s (2017) constants that make activations
/// self-normalising under LeCun-normal init.
/// </summary>
public sealed class Selu : Activation
{
    public const double Lambda = 1.0507009873554804934193349852946;
    public const double Alpha = 1.6732632423543772848170429916717;

    public static Selu Instance { get; } = new();
    public override string Name => "selu";
    public override double MaxDerivative => Lambda * Alpha;

    // λα rounded once from float64, as before: not λ·α in T.
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) =>
        ActivationKernel.Forward(new EluOperator<T>(T.CreateChecked(Lambda), T.CreateChecked(Lambda * Alpha)), z, a, sigmaPrime);

    public override double Invoke(double z) => z > 0 ? Lambda * z : Lambda * Alpha * (Math.Exp(z) - 1.0);
    public override double Derivative(double z) => z > 0 ? Lambda : Lambda * Alpha * Math.Exp(z);
}
