using Gradscope.Tests.Support;
using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

/// <summary>
/// Every optimiser against a step sequence worked out by hand: one weight w = 1 and one bias b = 0, fed the
/// gradients 0.5, −0.2, 0.3 (weights) and 0.1, 0.1, −0.4 (biases) with η = 0.1.
/// </summary>
public sealed class OptimizerTests
{
    private static readonly double[] Gw = [0.5, -0.2, 0.3];
    private static readonly double[] Gb = [0.1, 0.1, -0.4];
    private const double Eta = 0.1, Eps = 1e-8;

    private static (double[] W, double[] B) Run(IOptimizer<double> optimizer, double decay = 0)
    {
        var network = Network<double>.CreateEmpty(new NetworkSpec { Layers = [1, 1], Activation = "identity", Cost = "quadratic" });
        var layer = network.Layer(1);
        layer.Weights[0] = 1;
        Parameter<double> weights = network.Find(1, ParameterRole.Weight)!, biases = network.Find(1, ParameterRole.Bias)!;
        var w = new double[3];
        var b = new double[3];
        for (int t = 0; t < 3; t++)
        {
            optimizer.BeginUpdate(new StepInfo(t, 0, 1, double.NaN), new Workspace<double>(network, 1));
            optimizer.Update(weights, [Gw[t]], new UpdateContext(t, Eta, decay));
            optimizer.Update(biases, [Gb[t]], new UpdateContext(t, Eta, 0));
            w[t] = layer.Weights[0];
            b[t] = layer.Biases[0];
        }
        return (w, b);
    }

    private static void AssertSteps(double[] expected, double[] actual)
    {
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], actual[t], 12);
    }

    [Fact]
    public void Sgd_ThreeSteps_MatchesHandComputed()
    {
        var (w, b) = Run(new Sgd<double>());
        AssertSteps([0.95, 0.97, 0.94], w);
        AssertSteps([-0.01, -0.02, 0.02], b);
    }

    [Fact]
    public void Momentum_ThreeSteps_MatchesHandComputed()
    {
        // v = 0.9 v − 0.1 g: −0.05, −0.025, −0.0525; w = 1 + Σv.
        var (w, b) = Run(new Momentum<double>(0.9, nesterov: false));
        AssertSteps([0.95, 0.925, 0.8725], w);
        // v_b: −0.01, −0.019, 0.0229.
        AssertSteps([-0.01, -0.029, -0.0061], b);
    }

    [Fact]
    public void Nesterov_ThreeSteps_MatchesHandComputed()
    {
        // w += 0.9 v − 0.1 g with v already updated: 1 − 0.045 − 0.05, then −0.0225 + 0.02, then −0.04725 − 0.03.
        var (w, _) = Run(new Momentum<double>(0.9, nesterov: true));
        AssertSteps([0.905, 0.9025, 0.82525], w);
    }

    [Fact]
    public void AdaGrad_ThreeSteps_MatchesHandComputed()
    {
        double w1 = 1 - Eta * 0.5 / (Math.Sqrt(0.25) + Eps);
        double w2 = w1 + Eta * 0.2 / (Math.Sqrt(0.29) + Eps);
        double w3 = w2 - Eta * 0.3 / (Math.Sqrt(0.38) + Eps);
        AssertSteps([w1, w2, w3], Run(new AdaGrad<double>(Eps)).W);
    }

    [Fact]
    public void RmsProp_ThreeSteps_MatchesHintonsLecture()
    {
        // MeanSquare = 0.9 MeanSquare + 0.1 g²: 0.025, 0.0265, 0.03285.
        double w1 = 1 - Eta * 0.5 / (Math.Sqrt(0.025) + Eps);
        double w2 = w1 + Eta * 0.2 / (Math.Sqrt(0.0265) + Eps);
        double w3 = w2 - Eta * 0.3 / (Math.Sqrt(0.03285) + Eps);
        AssertSteps([w1, w2, w3], Run(new RmsProp<double>(0.9, Eps)).W);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void Adam_ThreeSteps_MatchesHandComputed(double decoupled)
    {
        // m: 0.05, 0.025, 0.0525; v: 0.00025, 0.00028975, 0.00037946025; corrections 1 − 0.9^t, 1 − 0.999^t.
        double[] m = [0.05, 0.025, 0.0525];
        double[] v = [0.00025, 0.00028975, 0.00037946025];
        double w = 1;
        var expected = new double[3];
        for (int t = 0; t < 3; t++)
        {
            double mHat = m[t] / (1 - Math.Pow(0.9, t + 1)), vHat = v[t] / (1 - Math.Pow(0.999, t + 1));
            w = (1 - Eta * decoupled) * w - Eta * mHat / (Math.Sqrt(vHat) + Eps);
            expected[t] = w;
        }
        var (actual, b) = Run(new Adam<double>(0.9, 0.999, Eps, decoupled));
        AssertSteps(expected, actual);
        // The first step of Adam is η·sign(g) whatever the scale, and biases are never decayed.
        Assert.Equal(-Eta, b[0], 6);
    }

    [Fact]
    public void Rprop_ThreeSteps_GrowsOnAgreementShrinksOnFlip()
    {
        // Signs +, −, +: steps 0.1, then ×0.5 = 0.05, then ×0.5 = 0.025. Biases +, +, −: 0.1, 0.12, 0.06.
        var (w, b) = Run(new Rprop<double>());
        AssertSteps([0.9, 0.95, 0.925], w);
        AssertSteps([-0.1, -0.22, -0.16], b);
    }

    [Fact]
    public void Momentum_WithWeightDecay_AddsNielsensL2ToTheGradient()
    {
        // g' = g + (λ/n) w = 0.5 + 0.2·1 = 0.7, so v = −0.07.
        var (w, b) = Run(new Momentum<double>(0.9, nesterov: false), decay: 0.2);
        Assert.Equal(0.93, w[0], 12);
        Assert.Equal(-0.01, b[0], 12);
    }

    [Theory]
    [InlineData("sgd", typeof(Sgd<double>))]
    [InlineData("Momentum", typeof(Momentum<double>))]
    [InlineData("nesterov", typeof(Momentum<double>))]
    [InlineData("adagrad", typeof(AdaGrad<double>))]
    [InlineData("rmsprop", typeof(RmsProp<double>))]
    [InlineData("adam", typeof(Adam<double>))]
    [InlineData("adamw", typeof(Adam<double>))]
    [InlineData("rprop", typeof(Rprop<double>))]
    [InlineData("k-fac", typeof(Kfac<double>))]
    public void Create_ByName_BuildsThatOptimiser(string name, Type expected)
    {
        var network = Network<double>.Create(new NetworkSpec { Layers = [3, 2] }, 1);
        var optimizer = OptimizerFactory.Create(new TrainingOptions { Optimizer = name }, network);
        Assert.IsType(expected, optimizer);
        Assert.Equal(OptimizerFactory.CheckName(name), optimizer.Name);
    }
}

/// <summary>
/// SGD's measured pass aligns its vectors to the cache line, so where the weights start in memory changes how it
/// walks them; neither the step nor the sums it reports may change with it.
/// </summary>
public sealed class MeasuredStepTests
{
    [Theory]
    [InlineData(64, 0.0)]
    [InlineData(100, 0.0)]
    [InlineData(901, 1e-3)]
    [InlineData(4096, 0.0)]
    [InlineData(23_520, 0.0)]
    [InlineData(23_523, 1e-3)]
    public void MeasuredStep_AnyOffsetInMemory_SameWeightsAsPlainStepAndBitIdenticalNorms(int length, double weightDecay)
    {
        Check<float>(length, weightDecay, 1e-5);
        Check<double>(length, weightDecay, 1e-12);
    }

    private static void Check<T>(int length, double weightDecay, double tolerance) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Gradscope.Numerics.Rng(11);
        var w0 = new T[length];
        var g = new T[length];
        for (int i = 0; i < length; i++)
        {
            w0[i] = T.CreateTruncating(rng.Normal(0, 1));
            g[i] = T.CreateTruncating(rng.Normal(0, 0.1));
        }
        const double eta = 0.3;
        var context = new UpdateContext(0, eta, weightDecay);

        var plain = RunAt<T>(0, w0, g, context, UpdateNormKinds.None).Weights;
        UpdateNorms? first = null;
        // Offsets 0 … 15 put the first weight at every position within a 64-byte line, for either element size.
        for (int offset = 0; offset < 16; offset++)
        {
            var (weights, norms) = RunAt<T>(offset, w0, g, context, UpdateNormKinds.Gradient | UpdateNormKinds.Weights | UpdateNormKinds.Change);
            Assert.Equal(plain, weights);
            first ??= norms;
            Assert.Equal(first.Value, norms);
        }
        double gg = g.Sum(v => double.CreateTruncating(v) * double.CreateTruncating(v));
        double ww = w0.Sum(v => double.CreateTruncating(v) * double.CreateTruncating(v));
        double dd = 0;
        for (int i = 0; i < length; i++) dd += Math.Pow(double.CreateTruncating(plain[i]) - double.CreateTruncating(w0[i]), 2);
        Assert.Equal(1, first!.Value.GradientSquares / gg, tolerance);
        Assert.Equal(1, first.Value.WeightSquares / ww, tolerance);
        Assert.Equal(1, first.Value.UpdateSquares / dd, tolerance * 100);
    }

    /// <summary>One SGD step on a layer whose weights live <paramref name="offset"/> elements into a larger array.</summary>
    private static (T[] Weights, UpdateNorms Norms) RunAt<T>(int offset, T[] w0, T[] g, UpdateContext context, UpdateNormKinds kinds)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var backing = new T[w0.Length + 16];
        var gradient = new T[g.Length + 16];
        w0.CopyTo(backing, offset);
        g.CopyTo(gradient, 15 - offset);
        var norms = Sgd<T>.Step(backing.AsSpan(offset, w0.Length), gradient.AsSpan(15 - offset, g.Length), context, kinds);
        return (backing.AsSpan(offset, w0.Length).ToArray(), norms);
    }
}
