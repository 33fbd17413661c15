using System.Numerics;

namespace Gradscope.Model.Costs;

/// <summary>
/// C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)] on sigmoid outputs; δ^L = a − y, with no σ' factor
/// (Nielsen ch. 3). Terms with a 0·ln 0 form count as 0.
/// </summary>
public sealed class CrossEntropyCost : Cost
{
    public static CrossEntropyCost Instance { get; } = new();
    public override string Name => "cross-entropy";
    public override string DefaultOutput => "sigmoid";
    public override bool Accepts(string outputActivation) => outputActivation == "sigmoid";

    public override double Value<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double aj = double.CreateChecked(a[j]);
            double yj = double.CreateChecked(y[j]);
            if (yj != 0) sum -= yj * Math.Log(aj);
            if (yj != 1) sum -= (1 - yj) * Math.Log(1 - aj);
        }
        return sum;
    }

    protected override double FastSum<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> scratch)
    {
        int n = a.Length;
        Span<T> log = scratch[..n], other = scratch.Slice(n, n);
        System.Numerics.Tensors.TensorPrimitives.Log(a, log);
        double sum = double.CreateTruncating(System.Numerics.Tensors.TensorPrimitives.Dot(y, log));
        System.Numerics.Tensors.TensorPrimitives.Subtract(T.One, a, log);
        System.Numerics.Tensors.TensorPrimitives.Log(log, log);
        System.Numerics.Tensors.TensorPrimitives.Subtract(T.One, y, other);
        sum += double.CreateTruncating(System.Numerics.Tensors.TensorPrimitives.Dot(other, log));
        return -sum;
    }

    public override void OutputDelta<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> sigmaPrime, Span<T> delta)
    {
        for (int j = 0; j < a.Length; j++) delta[j] = a[j] - y[j];
    }
}
