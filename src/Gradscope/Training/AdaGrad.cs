using System.Numerics;

namespace Gradscope.Training;

/// <summary>AdaGrad (Duchi et al. 2011): G ← G + g², w ← w − η g/(√G + ε).</summary>
public sealed class AdaGrad<T>(double epsilon) : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Name => "adagrad";
    protected override int StateArrays => 1;

    protected override void Apply(State state, Span<T> parameters, ReadOnlySpan<T> gradient, double eta, double decay, bool isWeight)
    {
        double[] sum = state.Arrays[0];
        for (int i = 0; i < parameters.Length; i++)
        {
            double w = double.CreateTruncating(parameters[i]);
            double g = double.CreateTruncating(gradient[i]) + decay * w;
            sum[i] += g * g;
            parameters[i] = T.CreateTruncating(w - eta * g / (Math.Sqrt(sum[i]) + epsilon));
        }
    }
}
