using System.Numerics;
using Gradscope.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// A recurrent layer's initial parameters: PyTorch's U(−1/√H, 1/√H) for all four tensors, then W_hh's initialiser
/// applied to each gate's H×H block — orthogonal (Saxe et al. 2014), identity (Le, Jaitly &amp; Hinton 2015's IRNN),
/// or the default draw scaled to spectral radius ρ (Pascanu et al. 2013's experiments around the bound 1/γ) —
/// and the LSTM forget-gate bias. Drawn in float64 from the layer's own stream, in a fixed order.
/// </summary>
public static class RecurrentInit
{
    public static void Fill<T>(RecurrentLayer<T> layer, RecurrentSpec spec, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(spec);
        int h = layer.FanOut, gates = (int)layer.Cell;
        double bound = 1 / Math.Sqrt(h);
        var recurrent = new double[layer.RecurrentWeights.Length];
        Uniform(layer.InputWeights.Values, bound, rng);
        for (int i = 0; i < recurrent.Length; i++) recurrent[i] = rng.Uniform(-bound, bound);
        Uniform(layer.InputBiases.Values, bound, rng);
        Uniform(layer.RecurrentBiases.Values, bound, rng);

        var (name, radius) = RecurrentSpec.ParseInit(spec.Init);
        var blockRng = rng.Fork(0x5748_4848); // "WHHH": W_hh's own stream, so the other tensors do not move with it
        var block = new double[h * h];
        for (int g = 0; g < gates; g++)
        {
            var target = recurrent.AsSpan(g * h * h, h * h); // rows g·H…(g+1)·H of W_hh [G·H × H]
            switch (name)
            {
                case "orthogonal":
                    Initializer.Parse("orthogonal").Fill(block, h, h, blockRng);
                    block.CopyTo(target);
                    break;
                case "identity":
                    target.Clear();
                    for (int j = 0; j < h; j++) target[j * h + j] = 1;
                    break;
                case "radius":
                    double rho = SpectralRadius.Of(target, h);
                    if (rho > 0) for (int i = 0; i < target.Length; i++) target[i] *= radius / rho;
                    break;
            }
        }
        for (int i = 0; i < recurrent.Length; i++) layer.RecurrentWeights.Values[i] = T.CreateChecked(recurrent[i]);
        if (spec.ForgetBias is double forget && layer.Cell == RecurrentCellKind.Lstm)
            for (int j = h; j < 2 * h; j++)
            {
                layer.InputBiases.Values[j] = T.CreateChecked(forget);
                layer.RecurrentBiases.Values[j] = T.Zero;
            }
    }

    private static void Uniform<T>(Span<T> values, double bound, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(rng.Uniform(-bound, bound));
    }
}
