using System.Numerics;

namespace Gradscope.Training;

/// <summary>
/// RMSProp as Hinton's lecture 6e states it: MeanSquare ← d·MeanSquare + (1 − d)·g² (d = 0.9),
/// w ← w − η g/(√MeanSquare + ε).
/// </summary>
public sealed class RmsProp<T>(double decay, double epsilon) : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Name => "rmsprop";
    protected override int StateArrays => 1;

    protected override void Apply(State state, Span<T> parameters, ReadOnlySpan<T> gradient, double eta, double l2, bool isWeight)
    {
        double[] meanSquare = state.Arrays[0];
        for (int i = 0; i < parameters.Length; i++)
        {
            double w = double.CreateTruncating(parameters[i]);
            double g = double.CreateTruncating(gradient[i]) + l2 * w;
            meanSquare[i] = decay * meanSquare[i] + (1 - decay) * g * g;
            parameters[i] = T.CreateTruncating(w - eta * g / (Math.Sqrt(meanSquare[i]) + epsilon));
        }
    }
}
