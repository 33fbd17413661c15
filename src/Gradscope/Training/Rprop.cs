using System.Numerics;

namespace Gradscope.Training;

/// <summary>
/// Rprop as Hinton's lecture 6e states it, for full-batch training: each weight keeps its own step Δ, multiplied
/// by 1.2 when the gradient's sign agrees with the last one and by 0.5 when it flips, limited to [1e-6, 50];
/// the weight moves by −sign(g)·Δ. The first step of every weight is η. Only the gradient's sign is used, so
/// on mini-batches (whose signs are noisy) it does not average gradients the way SGD does.
/// </summary>
public sealed class Rprop<T> : ElementwiseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const double Increase = 1.2, Decrease = 0.5, MinStep = 1e-6, MaxStep = 50;

    public override string Name => "rprop";
    protected override int StateArrays => 2;

    protected override void Apply(State state, Span<T> parameters, ReadOnlySpan<T> gradient, double eta, double decay, bool isWeight)
    {
        double[] step = state.Arrays[0], last = state.Arrays[1];
        bool first = state.Steps++ == 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            double w = double.CreateTruncating(parameters[i]);
            double g = double.CreateTruncating(gradient[i]) + decay * w;
            if (first) step[i] = Math.Clamp(eta, MinStep, MaxStep);
            else if (g * last[i] > 0) step[i] = Math.Min(step[i] * Increase, MaxStep);
            else if (g * last[i] < 0) step[i] = Math.Max(step[i] * Decrease, MinStep);
            last[i] = g;
            parameters[i] = T.CreateTruncating(w - Math.Sign(g) * step[i]);
        }
    }
}
