using System.Numerics;

namespace Gradscope.Model.Costs;

/// <summary>C_x = ½‖a − y‖², δ^L = (a − y) ⊙ σ'(z^L): the σ' factor that slows a saturated output.</summary>
public sealed class QuadraticCost : Cost
{
    public static QuadraticCost Instance { get; } = new();
    public override string Name => "quadratic";
    public override string DefaultOutput => "sigmoid";
    public override bool Accepts(string outputActivation) => outputActivation != "softmax";

    public override double Value<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double d = double.CreateChecked(a[j]) - double.CreateChecked(y[j]);
            sum += d * d;
        }
        return 0.5 * sum;
    }

    protected override double FastSum<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> scratch)
    {
        double d = double.CreateTruncating(System.Numerics.Tensors.TensorPrimitives.Distance(a, y));
        return 0.5 * d * d;
    }

    public override void OutputDelta<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> sigmaPrime, Span<T> delta)
    {
        for (int j = 0; j < a.Length; j++) delta[j] = (a[j] - y[j]) * sigmaPrime[j];
    }
}
