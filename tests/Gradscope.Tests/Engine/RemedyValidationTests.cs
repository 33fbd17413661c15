using Gradscope.Model;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

public sealed class RemedyValidationTests
{
    public static TheoryData<TrainingOptions, string> BadOptions() => new()
    {
        { new TrainingOptions { Optimizer = "adamax" }, "adamax" },
        { new TrainingOptions { Momentum = 1.0 }, "momentum: 1" },
        { new TrainingOptions { Momentum = -0.5 }, "-0.5" },
        { new TrainingOptions { Beta1 = 1.5 }, "1.5" },
        { new TrainingOptions { Beta2 = 1 }, "β2: 1" },
        { new TrainingOptions { Decay = -0.1 }, "decay: -0.1" },
        { new TrainingOptions { Epsilon = 0 }, "epsilon: 0" },
        { new TrainingOptions { Damping = -1 }, "damping: -1" },
        { new TrainingOptions { ClipNorm = -1 }, "clip norm: -1" },
        { new TrainingOptions { ClipValue = -0.25 }, "clip value: -0.25" },
        { new TrainingOptions { TrustRatio = -2 }, "trust ratio: -2" },
        { new TrainingOptions { WeightRate = 0 }, "weight rate: 0" },
        { new TrainingOptions { BiasRate = -3 }, "bias rate: -3" },
        { new TrainingOptions { WeightDecay = -0.01 }, "-0.01" },
        { new TrainingOptions { KfacInverseEvery = 0 }, "interval: 0" },
        { new TrainingOptions { KfacStatsEvery = 0 }, "statistics interval: 0" },
        { new TrainingOptions { KfacRank = -4 }, "rank: -4" },
        { new TrainingOptions { LayerRates = [1, -0.1] }, "-0.1" },
        { new TrainingOptions { Eta = -0.1 }, "Invalid learning rate: -0.1" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadRemedyOption_NamesTheValue(TrainingOptions options, string expected)
    {
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Trainer_LayerRatesOfWrongLength_NamesBothCounts()
    {
        var network = Network<float>.Create(new NetworkSpec { Layers = [4, 3, 2] }, 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(network, new TrainingOptions { LayerRates = [1, 1, 1] }));
        Assert.Contains("3 layer rates", e.Message);
        Assert.Contains("2 weight layers", e.Message);
    }

    [Fact]
    public void Kfac_NormalizedNetwork_Refused()
    {
        var network = Network<float>.Create(new NetworkSpec { Layers = [4, 3, 2], Normalization = "layer" }, 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(network, new TrainingOptions { Optimizer = "kfac" }));
        Assert.Contains("Layer", e.Message);
    }
}
