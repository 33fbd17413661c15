using Gradscope.Experiments;

namespace Gradscope.Tests.Experiments;

public sealed class RemedySpecFileTests
{
    [Fact]
    public void Load_SpecWithRemedies_ReadsEveryField()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gradscope-spec-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """
                {
                  "network": { "layers": [784, 30, 30, 10], "normalization": "batch", "residual": true },
                  "training": {
                    "optimizer": "adamw", "beta1": 0.8, "weightDecay": 0.02, "clipNorm": 5, "clipValue": 0.5,
                    "layerRates": [2, 1, 0.5], "weightRate": 1.5, "biasRate": 0.5, "trustRatio": 0.01,
                    "kfacInverseEvery": 50, "kfacStatsEvery": 5, "kfacRank": 48, "damping": 0.03, "decay": 0.95, "momentum": 0.8, "epsilon": 1e-6
                  }
                }
                """);
            var spec = ExperimentSpec.Load(path);
            spec.Validate();
            var t = spec.Training;
            Assert.Equal(("adamw", 0.8, 0.02, 5.0, 0.5), (t.Optimizer, t.Beta1, t.WeightDecay, t.ClipNorm, t.ClipValue));
            Assert.Equal([2, 1, 0.5], t.LayerRates!);
            Assert.Equal((1.5, 0.5, 0.01, 50, 0.03, 0.95, 0.8, 1e-6), (t.WeightRate, t.BiasRate, t.TrustRatio, t.KfacInverseEvery, t.Damping, t.Decay, t.Momentum, t.Epsilon));
            Assert.Equal((5, 48), (t.KfacStatsEvery, t.KfacRank));
            Assert.Equal(("batch", true), (spec.Network.Normalization, spec.Network.Residual));
            Assert.Contains("\"optimizer\": \"adamw\"", spec.ToJson());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
