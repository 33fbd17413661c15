using System.Numerics;

namespace Gradscope.Model.Costs;

/// <summary>C_x = −Σ_j y_j ln a_j on softmax outputs (−ln a_y for one-hot y); δ^L = a − y.</summary>
public sealed class LogLikelihoodCost : Cost
{
    public static LogLikelihoodCost Instance { get; } = new();
    public override string Name => "log-likelihood";
    public override string DefaultOutput => "softmax";
    public override bool Accepts(string outputActivation) => outputActivation == "softmax";

    public override double Value<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double yj = double.CreateChecked(y[j]);
            if (yj != 0) sum -= yj * Math.Log(double.CreateChecked(a[j]));
        }
        return sum;
    }

    protected override double FastSum<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> scratch)
    {
        Span<T> log = scratch[..a.Length];
        System.Numerics.Tensors.TensorPrimitives.Log(a, log);
        return -double.CreateTruncating(System.Numerics.Tensors.TensorPrimitives.Dot(y, log));
    }

    public override void OutputDelta<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> sigmaPrime, Span<T> delta)
    {
        for (int j = 0; j < a.Length; j++) delta[j] = a[j] - y[j];
    }
}
