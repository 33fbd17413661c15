using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

/// <summary>The engine honours declared needs, and only those, with values an independent sum reproduces.</summary>
public sealed class ObservationSeamTests
{
    private sealed class Declaring(Needs needs) : ITrainingObserver<double>
    {
        public List<(int Layer, bool Summed, double Engine, double Naive)> Deltas { get; } = [];
        public List<(int Layer, bool Summed, double Engine, double Naive)> Backs { get; } = [];
        public Dictionary<int, double> GradientSquares { get; } = [];
        public UpdateNorms[]? Norms { get; private set; }

        public Needs Needs => needs;

        public void OnLayer(in StepInfo step, in LayerView<double> view)
        {
            bool summed = view.TryGetSumOfSquares(LayerTensor.Delta, out double delta);
            Deltas.Add((view.Index, summed, delta, view.Tensor(LayerTensor.Delta).ToArray().Sum(v => v * v)));
            summed = view.TryGetSumOfSquares(LayerTensor.ActivationGradient, out double back);
            Backs.Add((view.Index, summed, back, view.ActivationGradient.ToArray().Sum(v => v * v)));
            var weights = view.Parameter(ParameterRole.Weight);
            GradientSquares[weights.Parameter!.Index] = weights.Gradient.ToArray().Sum(v => v * v);
        }

        public void OnUpdated(in StepInfo step, ReadOnlySpan<UpdateNorms> norms) => Norms = norms.ToArray();
    }

    private static Declaring Train(Needs needs, string normalization = "none")
    {
        var data = TestNets.RandomData(12, 5, 3, oneHot: true, seed: 2);
        var network = Network<double>.Create(new NetworkSpec { Layers = [5, 4, 4, 3], Activation = "tanh", Cost = "log-likelihood", Normalization = normalization }, 1);
        using var trainer = new Trainer<double>(network, new TrainingOptions { Eta = 0.1, BatchSize = 12 });
        var observer = new Declaring(needs);
        using (trainer.Attach(observer)) trainer.TrainBatch(data, Enumerable.Range(0, 12).ToArray());
        return observer;
    }

    [Theory]
    [InlineData("none")]
    [InlineData("batch")]
    public void Backward_SquaresDeclared_SummedInThePassAndEqualToNaiveSums(string normalization)
    {
        var observer = Train(Needs.SumOfSquares(LayerTensor.Delta) | Needs.SumOfSquares(LayerTensor.ActivationGradient), normalization);
        Assert.Equal([3, 2, 1], observer.Deltas.Select(d => d.Layer));
        Assert.All(observer.Deltas, d => Assert.True(d.Summed && Math.Abs(d.Engine - d.Naive) <= 1e-12 * d.Naive, $"layer {d.Layer}"));
        // The output layer's δ comes from the cost: it has no ∂C/∂a to sum.
        Assert.All(observer.Backs, b => Assert.Equal(b.Layer != 3, b.Summed));
        Assert.All(observer.Backs.Where(b => b.Summed), b => Assert.Equal(b.Naive, b.Engine, 1e-12));
    }

    [Fact]
    public void Backward_NothingDeclared_NothingSummed()
    {
        var observer = Train(Needs.None);
        Assert.All(observer.Deltas, d => Assert.False(d.Summed));
        Assert.Null(observer.Norms);
    }

    [Fact]
    public void Update_WeightNormsDeclared_MeasuredForWeightsOnlyAndEqualToTheGradient()
    {
        var observer = Train(Needs.UpdateNorms(ParameterRole.Weight, UpdateNormKinds.Gradient));
        Assert.NotNull(observer.Norms);
        Assert.Equal(6, observer.Norms!.Length); // W and b of three layers, in the network's parameter order
        for (int i = 0; i < observer.Norms.Length; i++)
        {
            if (i % 2 == 1) Assert.True(double.IsNaN(observer.Norms[i].GradientSquares), $"b at {i} was measured");
            else Assert.Equal(observer.GradientSquares[i], observer.Norms[i].GradientSquares, 1e-12);
        }
    }

    [Fact]
    public void Parameters_NormalisedNetwork_ListedByLayerWithNamesRolesAndIndices()
    {
        var network = Network<float>.Create(new NetworkSpec { Layers = [4, 3, 3, 2], Normalization = "layer", Residual = true }, 1);
        Assert.Equal(["W^1", "b^1", "γ^1", "W^2", "b^2", "γ^2", "W^3", "b^3"], network.Parameters.Select(p => p.Name));
        Assert.Equal(Enumerable.Range(0, 8), network.Parameters.Select(p => p.Index));
        Assert.Equal([1, 1, 1, 2, 2, 2, 3, 3], network.Parameters.Select(p => p.Layer));
        Assert.Equal(4 * 3 + 3 + 3 + 3 * 3 + 3 + 3 + 3 * 2 + 2, network.ParameterCount);
        Assert.True(network.Layer(2).Residual);
        Assert.False(network.Layer(1).Residual); // 4 → 3: sizes differ
    }
}
