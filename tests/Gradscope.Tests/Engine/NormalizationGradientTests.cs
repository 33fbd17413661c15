using Gradscope.Model;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

/// <summary>Batch/layer normalisation and residual layers against float64 central differences (the oracle of <see cref="GradientCheckTests"/>).</summary>
public sealed class NormalizationGradientTests
{
    public static TheoryData<string, bool, string, string, ForwardMode> Cases() => new()
    {
        { "batch", false, "sigmoid", "cross-entropy", ForwardMode.Batch },
        { "batch", false, "tanh", "log-likelihood", ForwardMode.Inference },
        { "batch", true, "relu", "quadratic", ForwardMode.Batch },
        { "layer", false, "sigmoid", "cross-entropy", ForwardMode.Batch },
        { "layer", true, "tanh", "log-likelihood", ForwardMode.Inference },
        { "none", true, "sigmoid", "cross-entropy", ForwardMode.Inference },
        { "none", true, "elu", "quadratic", ForwardMode.Inference },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_NormalizedOrResidual_MatchesFiniteDifferences(string normalization, bool residual, string activation, string cost, ForwardMode mode)
    {
        int[] sizes = [4, 5, 5, 5, 3];
        var spec = new NetworkSpec
        {
            Layers = sizes,
            Activation = activation,
            Cost = cost,
            Init = "glorot-normal",
            Normalization = normalization,
            Residual = residual,
        };
        var network = Network<double>.Create(spec, seed: 7);
        var rng = new Gradscope.Numerics.Rng(3);
        foreach (var layer in network.Layers)
        {
            // Off their defaults (γ = 1, μ = 0, σ² = 1), so a wrong term in the backward pass cannot hide.
            for (int j = 0; j < layer.Scale.Length; j++) layer.Scale[j] = rng.Uniform(0.5, 1.5);
            for (int j = 0; j < layer.RunningMean.Length; j++) layer.RunningMean[j] = rng.Uniform(-0.5, 0.5);
            for (int j = 0; j < layer.RunningVariance.Length; j++) layer.RunningVariance[j] = rng.Uniform(0.5, 2);
        }
        var data = TestNets.RandomData(6, sizes[0], sizes[^1], cost != "quadratic", seed: 11);
        var ws = TestNets.Gradients(network, data, mode);
        double Cost() => TestNets.Cost(network, data, mode);

        const double h = 1e-5;
        for (int l = 1; l <= network.Depth; l++)
        {
            var layer = network.Layer(l);
            GradientCheckTests.CheckParameters(Cost, layer.Weights, ws.WeightGradientOf(l).ToArray(), h, $"W^{l}");
            GradientCheckTests.CheckParameters(Cost, layer.Biases, ws.BiasGradientOf(l).ToArray(), h, $"b^{l}");
            if (layer.Scale.Length != 0)
                GradientCheckTests.CheckParameters(Cost, layer.Scale, ws.ScaleGradientOf(l).ToArray(), h, $"γ^{l}");
        }
    }

    [Fact]
    public void Forward_BatchTraining_MovesRunningAveragesAndEvaluationUsesThem()
    {
        var spec = new NetworkSpec { Layers = [4, 6, 3], Normalization = "batch", Cost = "log-likelihood" };
        var network = Network<double>.Create(spec, seed: 1);
        var data = TestNets.RandomData(8, 4, 3, oneHot: true, seed: 2);
        var ws = new Workspace<double>(network, 8);
        ws.Load(data, 0, 8);
        Backprop.Forward(network, ws, 8, null, ForwardMode.Batch);
        Assert.All(network.Layer(1).RunningMean, m => Assert.Equal(0.0, m));
        Backprop.Forward(network, ws, 8, null, ForwardMode.Training);
        Assert.Contains(network.Layer(1).RunningMean, m => m != 0);
        Assert.Empty(network.Layer(2).Scale); // the output layer is never normalised

        double batchCost = TestNets.Cost(network, data, ForwardMode.Batch);
        double runningCost = TestNets.Cost(network, data, ForwardMode.Inference);
        Assert.NotEqual(batchCost, runningCost);
        Assert.Equal(runningCost, Evaluation.Of(network, data).Cost, 12);
    }

    [Fact]
    public void Create_UnknownNormalization_NamesIt()
    {
        var e = Assert.Throws<ArgumentException>(() => Network<float>.Create(new NetworkSpec { Normalization = "group" }, 1));
        Assert.Contains("group", e.Message);
    }
}
