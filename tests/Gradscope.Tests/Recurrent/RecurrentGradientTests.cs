using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Tests.Engine;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.Recurrent;

/// <summary>Back-propagation through time against central finite differences in float64, for every cell.</summary>
public sealed class RecurrentGradientTests
{
    public static TheoryData<string, string, string, int> Cases() => new()
    {
        { "rnn", "tanh", "quadratic", 1 },
        { "rnn", "relu", "quadratic", 1 },
        { "rnn", "tanh", "log-likelihood", 2 },
        { "lstm", "tanh", "quadratic", 1 },
        { "lstm", "tanh", "log-likelihood", 2 },
        { "gru", "tanh", "quadratic", 1 },
        { "gru", "tanh", "log-likelihood", 2 },
    };

    internal static NetworkSpec Spec(string cell, string nonlinearity, string cost, int stacked, int inputs = 3, int hidden = 4,
        int outputs = 2, int steps = 5, string init = "default", double? forgetBias = null, int bptt = 0) => new()
    {
        Layers = [inputs, .. Enumerable.Repeat(hidden, stacked), outputs],
        Cost = cost,
        OutputActivation = cost == "quadratic" ? "identity" : "softmax",
        Init = "standard-uniform",
        BiasInit = "zero",
        Recurrent = new RecurrentSpec { Cell = cell, Nonlinearity = nonlinearity, Steps = steps, Init = init, ForgetBias = forgetBias, Bptt = bptt },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_EveryCell_MatchesFiniteDifferences(string cell, string nonlinearity, string cost, int stacked)
    {
        var spec = Spec(cell, nonlinearity, cost, stacked);
        var network = Network<double>.Create(spec, seed: 5);
        // Weights big enough that the gates and σ' vary: the default U(±1/√H) is small for H = 4.
        foreach (var p in network.Parameters)
            for (int i = 0; i < p.Values.Length; i++) p.Values[i] *= 2.5;
        var data = TestNets.RandomData(4, 5 * 3, 2, oneHot: cost != "quadratic", seed: 3);
        var ws = TestNets.Gradients(network, data);
        foreach (var p in network.Parameters)
            GradientCheckTests.CheckParameters(() => TestNets.Cost(network, data), p.Values, ws.GradientOf(p).ToArray(), 1e-5, p.Name);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void Backward_TruncationLongerThanSequence_EqualsFullBptt(string cell)
    {
        var data = TestNets.RandomData(3, 5 * 3, 2, oneHot: false, seed: 4);
        var full = Network<double>.Create(Spec(cell, "tanh", "quadratic", 2), seed: 9);
        var truncated = Network<double>.Create(Spec(cell, "tanh", "quadratic", 2, bptt: 5), seed: 9);
        var a = TestNets.Gradients(full, data);
        var b = TestNets.Gradients(truncated, data);
        for (int i = 0; i < full.Parameters.Count; i++)
            Assert.Equal(a.GradientOf(full.Parameters[i]).ToArray(), b.GradientOf(truncated.Parameters[i]).ToArray());
    }

    [Fact]
    public void Backward_TruncatedToOneStep_RecurrentGradientIsLastStepsOnly()
    {
        // With k = 1 and one output at τ, only step τ gets a gradient: ∂C/∂W_hh = (1/m) Σ_x δ_τ h_{τ−1}ᵀ.
        var spec = Spec("rnn", "tanh", "quadratic", 1, bptt: 1);
        var network = Network<double>.Create(spec, seed: 2);
        var data = TestNets.RandomData(3, 5 * 3, 2, oneHot: false, seed: 8);
        var ws = TestNets.Gradients(network, data);
        var layer = (RecurrentLayer<double>)network.Layer(1);
        var buffers = (RecurrentBuffers<double>)ws.Layers[0];
        int m = 3, h = 4;
        var expected = new double[h * h];
        for (int x = 0; x < m; x++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < h; j++)
                    expected[i * h + j] += buffers.AtStep(Observation.LayerTensor.Delta, m, 5)[x * h + i]
                        * buffers.AtStep(Observation.LayerTensor.A, m, 4)[x * h + j] / m;
        var actual = ws.GradientOf(layer.RecurrentWeights).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-14);
        Assert.All(buffers.AtStep(Observation.LayerTensor.ActivationGradient, m, 4).ToArray(), v => Assert.Equal(0.0, v));
    }

    [Theory]
    [InlineData("lstm", 13, false)]
    [InlineData("lstm", 32, true)]
    [InlineData("gru", 13, true)]
    [InlineData("gru", 32, false)]
    public void CellBackward_Vectorised_BitIdenticalToTheScalarLoop(string cell, int hidden, bool cut)
    {
        StepBitIdentical<float>(cell, hidden, cut);
        StepBitIdentical<double>(cell, hidden, cut);
    }

    /// <summary>One step of the cell's backward pass, vectorised and scalar, on the same forward pass and ∂C/∂h: every bit equal.</summary>
    private static void StepBitIdentical<T>(string cell, int hidden, bool cut) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        const int m = 3, steps = 4, t = 3;
        var network = Network<T>.Create(Spec(cell, "tanh", "quadratic", 1, inputs: 2, hidden: hidden, outputs: 1, steps: steps), seed: 11);
        var data = TestNets.RandomData(m, steps * 2, 1, oneHot: false, seed: 12).Convert<T>();
        RecurrentBuffers<T> Forward()
        {
            var ws = new Training.Workspace<T>(network, m);
            ws.Load(data, 0, m);
            Training.Backprop.Forward(network, ws, m);
            var b = (RecurrentBuffers<T>)ws.Layers[0];
            var rng = new Gradscope.Numerics.Rng(13);
            for (int i = 0; i < b.HiddenGradient.Length; i++) b.HiddenGradient[i] = T.CreateChecked(rng.Uniform(-1, 1));
            var carry = cell == "lstm" ? b.CellCarry : b.Carry;
            for (int i = 0; i < m * hidden; i++) carry[i] = T.CreateChecked(rng.Uniform(-1, 1));
            return b;
        }
        var vector = Forward();
        var scalar = Forward();
        if (cell == "lstm")
        {
            LstmCell.Backward(vector, t, m, hidden, cut);
            LstmCell.Backward(scalar, t, m, hidden, cut, vectors: false);
        }
        else
        {
            GruCell.Backward(vector, t, m, hidden, cut);
            GruCell.Backward(scalar, t, m, hidden, cut, vectors: false);
        }
        Assert.Equal(scalar.GateDelta, vector.GateDelta);
        Assert.Equal(scalar.InputGateDelta, vector.InputGateDelta);
        Assert.Equal(scalar.StepDelta, vector.StepDelta);
        Assert.Equal(scalar.Carry, vector.Carry);
        Assert.Equal(scalar.CellCarry, vector.CellCarry);
        Assert.Contains(vector.GateDelta, v => v != T.Zero);
    }
}
