using Gradscope.Tests.Support;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

/// <summary>Nielsen's one-neuron-per-layer chain and the deep linear chain: gradients as explicit products.</summary>
public sealed class ChainTests
{
    private static Network<double> Chain(string activation, double[] weights, double[] biases)
    {
        int depth = weights.Length;
        var spec = new NetworkSpec
        {
            Layers = Enumerable.Repeat(1, depth + 1).ToArray(),
            Activation = activation,
            Cost = "quadratic",
            BiasInit = "zero",
        };
        var network = Network<double>.CreateEmpty(spec);
        for (int l = 1; l <= depth; l++)
        {
            network.Layer(l).Weights[0] = weights[l - 1];
            network.Layer(l).Biases[0] = biases[l - 1];
        }
        return network;
    }

    private static Workspace<double> Backprop1(Network<double> network, double x, double y)
    {
        var data = new Dataset<double>("one", 1, 1, [x], [y]);
        var ws = new Workspace<double>(network, 1);
        ws.Load(data, 0, 1);
        Backprop.Forward(network, ws, 1);
        Backprop.Backward(network, ws, 1, null, [], default);
        return ws;
    }

    [Fact]
    public void BiasGradient_SigmoidChain_EqualsProductOfFactors()
    {
        double[] w = [0.7, -1.3, 0.9, 1.6];
        double[] b = [0.1, -0.4, 0.3, -0.2];
        double x = 0.8, y = 0.3;
        var network = Chain("sigmoid", w, b);
        var ws = Backprop1(network, x, y);

        var sigmoid = new Gradscope.Model.Activations.Sigmoid();
        double a = x;
        var z = new double[4];
        for (int l = 0; l < 4; l++)
        {
            z[l] = w[l] * a + b[l];
            a = sigmoid.Invoke(z[l]);
        }
        double dCda4 = a - y;
        double expected = sigmoid.Derivative(z[0]) * w[1] * sigmoid.Derivative(z[1]) * w[2] * sigmoid.Derivative(z[2])
            * w[3] * sigmoid.Derivative(z[3]) * dCda4;
        Assert.Equal(expected, ws.BiasGradientOf(1)[0], 1e-15);
        Assert.True(Math.Abs(expected) > 1e-6);
    }

    [Fact]
    public void BiasGradient_AllWeights100AndZeroPreactivations_GrowsByFactor25PerLayer()
    {
        // z_1 = 100·x + b_1 = 0 with x = 0.5; later layers see a = σ(0) = ½, so b = −50 makes every z zero.
        double[] w = [100, 100, 100, 100];
        double[] b = [-50, -50, -50, -50];
        var network = Chain("sigmoid", w, b);
        var ws = Backprop1(network, 0.5, 0.0);

        double g4 = ws.BiasGradientOf(4)[0];
        Assert.Equal(0.5 * 0.25, g4, 1e-15); // (a − y)·σ'(0) = ½·¼
        for (int l = 3; l >= 1; l--)
        {
            double ratio = ws.BiasGradientOf(l)[0] / ws.BiasGradientOf(l + 1)[0];
            Assert.Equal(25.0, ratio, 1e-12);
        }
        Assert.Equal(g4 * 25 * 25 * 25, ws.BiasGradientOf(1)[0], 1e-9);
    }

    [Fact]
    public void WeightGradient_DeepLinearChain_IsProductOfTheOtherWeights()
    {
        double[] w = [1.5, -0.5, 2.0, 0.8, -1.2];
        double x = 0.7, t = 0.25;
        var network = Chain("identity", w, new double[5]);
        var ws = Backprop1(network, x, t);
        double y = w.Aggregate(x, (acc, wi) => acc * wi);
        for (int i = 0; i < 5; i++)
        {
            // ∂C/∂w_i = (y − t) · x · Π_{j≠i} w_j
            double others = x;
            for (int j = 0; j < 5; j++) if (j != i) others *= w[j];
            Assert.Equal((y - t) * others, ws.WeightGradientOf(i + 1)[0], 1e-14);
        }
    }
}
