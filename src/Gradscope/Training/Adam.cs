using System.Numerics;

namespace Gradscope.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015): m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g², w ← w − η m̂/(√v̂ + ε) with the
/// bias corrections m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t). With a decoupled decay d (AdamW, Loshchilov &amp;
/// Hutter 2019) weights also shrink by η·d·w each step, outside the adaptive scaling.
/// </summary>
public sealed class Adam<T>(double beta1, double beta2, double epsilon, double decoupledDecay = 0) : ElementwiseOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Name => decoupledDecay > 0 ? "adamw" : "adam";
    protected override int StateArrays => 2;

    protected override void Apply(State state, Span<T> parameters, ReadOnlySpan<T> gradient, double eta, double l2, bool isWeight)
    {
        double[] m = state.Arrays[0], v = state.Arrays[1];
        long t = ++state.Steps;
        double correction1 = 1 - Math.Pow(beta1, t), correction2 = 1 - Math.Pow(beta2, t);
        double shrink = isWeight ? 1 - eta * decoupledDecay : 1;
        for (int i = 0; i < parameters.Length; i++)
        {
            double w = double.CreateTruncating(parameters[i]);
            double g = double.CreateTruncating(gradient[i]) + l2 * w;
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double step = m[i] / correction1 / (Math.Sqrt(v[i] / correction2) + epsilon);
            parameters[i] = T.CreateTruncating(shrink * w - eta * step);
        }
    }
}
