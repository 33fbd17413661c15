using Gradscope.Model;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.Engine;

/// <summary>Backprop against central finite differences in float64, for every activation × cost × a few depths.</summary>
public sealed class GradientCheckTests
{
    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var activation in Activation.Names)
            foreach (var cost in Cost.Names)
                foreach (int depth in new[] { 1, 2, 4 })
                    data.Add(activation, cost, depth);
        data.Add("leaky-relu:0.2", "quadratic", 3);
        data.Add("elu:0.5", "cross-entropy", 3);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_AnyActivationCostDepth_MatchesFiniteDifferences(string activation, string cost, int depth)
    {
        int[] sizes = depth switch
        {
            1 => [4, 3],
            2 => [4, 5, 3],
            3 => [4, 5, 4, 3],
            _ => [4, 5, 4, 5, 3],
        };
        bool oneHot = cost != "quadratic";
        var spec = new NetworkSpec
        {
            Layers = sizes,
            Activation = activation,
            Cost = cost,
            // Quadratic cost puts the hidden activation on the output too, so its σ' enters δ^L.
            Init = "glorot-normal",
            BiasInit = "normal",
        };
        var network = Network<double>.Create(spec, seed: 7);
        var data = TestNets.RandomData(6, sizes[0], sizes[^1], oneHot, seed: 11);
        var ws = TestNets.Gradients(network, data);

        const double h = 1e-5;
        for (int l = 1; l <= network.Depth; l++)
        {
            var layer = network.Layer(l);
            CheckParameters(() => TestNets.Cost(network, data), layer.Weights, ws.WeightGradientOf(l).ToArray(), h, $"W^{l}");
            CheckParameters(() => TestNets.Cost(network, data), layer.Biases, ws.BiasGradientOf(l).ToArray(), h, $"b^{l}");
        }
    }

    /// <summary>Central differences of <paramref name="cost"/> in each parameter against the analytic gradient.</summary>
    internal static void CheckParameters(Func<double> cost, double[] parameters, double[] analytic, double h, string what)
    {
        var numeric = new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            double saved = parameters[i];
            parameters[i] = saved + h;
            double plus = cost();
            parameters[i] = saved - h;
            double minus = cost();
            parameters[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }
        double diff = 0, norm = 0;
        for (int i = 0; i < numeric.Length; i++)
        {
            diff += (numeric[i] - analytic[i]) * (numeric[i] - analytic[i]);
            norm += numeric[i] * numeric[i] + analytic[i] * analytic[i];
        }
        double relative = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-12);
        Assert.True(relative < 1e-6, $"{what}: relative error {relative:E2}");
    }
}
