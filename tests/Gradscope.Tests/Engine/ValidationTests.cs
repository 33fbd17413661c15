using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

public sealed class ValidationTests
{
    [Theory]
    [InlineData(new[] { 784 }, "at least 2")]
    [InlineData(new[] { 784, 0, 10 }, "0")]
    [InlineData(new[] { 784, -3, 10 }, "-3")]
    public void Create_BadLayerSizes_NamesTheValue(int[] layers, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Network<float>.Create(new NetworkSpec { Layers = layers }, 1));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("sigmoidal")]
    [InlineData("leaky-relu:abc")]
    public void Create_UnknownActivation_NamesIt(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Network<float>.Create(new NetworkSpec { Activation = name }, 1));
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Create_UnknownInitialiser_NamesIt()
    {
        var e = Assert.Throws<ArgumentException>(() => Network<float>.Create(new NetworkSpec { Init = "xavier-gaussian" }, 1));
        Assert.Contains("xavier-gaussian", e.Message);
    }

    [Fact]
    public void Create_CrossEntropyWithSoftmaxOutput_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Network<float>.Create(new NetworkSpec { Cost = "cross-entropy", OutputActivation = "softmax" }, 1));
        Assert.Contains("softmax", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.1)]
    [InlineData(0.0)]
    public void Trainer_NonFiniteOrNonPositiveEta_NamesTheValue(double eta)
    {
        var network = Network<float>.Create(new NetworkSpec(), 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(network, new TrainingOptions { Eta = eta }));
        Assert.Contains(eta.ToString(System.Globalization.CultureInfo.CurrentCulture), e.Message);
    }

    [Fact]
    public void Trainer_NegativeLambda_NamesTheValue()
    {
        var network = Network<float>.Create(new NetworkSpec(), 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(network, new TrainingOptions { Lambda = -5 }));
        Assert.Contains("-5", e.Message);
    }

    [Fact]
    public void TrainEpoch_MismatchedDataShape_NamesBothSizes()
    {
        var network = Network<double>.Create(new NetworkSpec { Layers = [5, 3, 2] }, 1);
        using var trainer = new Trainer<double>(network, new TrainingOptions());
        var data = TestNets.RandomData(10, 4, 2, oneHot: true, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(data));
        Assert.Contains("4", e.Message);
        Assert.Contains("5", e.Message);
    }

    [Fact]
    public void Dataset_RaggedInputs_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dataset<float>("bad", 3, 1, new float[10], new float[3]));
        Assert.Contains("bad", e.Message);
    }
}
