using System.Numerics;

namespace Gradscope.Training;

/// <summary>
/// Gradient descent with momentum: v ← μ v − η g, w ← w + v. With Nesterov's look-ahead (Sutskever et al. 2013,
/// in the form that needs no second gradient evaluation): w ← w + μ v − η g, with v already updated.
/// </summary>
public sealed class Momentum<T>(double momentum, bool nesterov) : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Name => nesterov ? "nesterov" : "momentum";
    protected override int StateArrays => 1;

    protected override void Apply(State state, Span<T> parameters, ReadOnlySpan<T> gradient, double eta, double decay, bool isWeight)
    {
        double[] v = state.Arrays[0];
        for (int i = 0; i < parameters.Length; i++)
        {
            double w = double.CreateTruncating(parameters[i]);
            double g = double.CreateTruncating(gradient[i]) + decay * w;
            v[i] = momentum * v[i] - eta * g;
            parameters[i] = T.CreateTruncating(w + (nesterov ? momentum * v[i] - eta * g : v[i]));
        }
    }
}
