using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

/// <summary>Clipping, step-size multipliers, the trust ratio, normalised models on disk, and the no-allocation promise with remedies on.</summary>
public sealed class TrainerRemedyTests
{
    private static readonly NetworkSpec Spec = new() { Layers = [6, 5, 4, 3], Activation = "sigmoid", Cost = "log-likelihood" };

    /// <summary>One SGD step from the same start; returns (ΔW, Δb) per layer and the trainer.</summary>
    private static (double[][] Dw, double[][] Db, Trainer<double> Trainer) OneStep(TrainingOptions options, NetworkSpec? spec = null)
    {
        var network = Network<double>.Create(spec ?? Spec, seed: 3);
        var before = network.Clone();
        var data = TestNets.RandomData(10, 6, 3, oneHot: true, seed: 4);
        var trainer = new Trainer<double>(network, options with { BatchSize = 10 });
        trainer.TrainBatch(data, Enumerable.Range(0, 10).ToArray());
        var dw = new double[network.Depth][];
        var db = new double[network.Depth][];
        for (int i = 0; i < network.Depth; i++)
        {
            dw[i] = network.Layers[i].Weights.Zip(before.Layers[i].Weights, (a, b) => a - b).ToArray();
            db[i] = network.Layers[i].Biases.Zip(before.Layers[i].Biases, (a, b) => a - b).ToArray();
        }
        return (dw, db, trainer);
    }

    private static double Norm(IEnumerable<double> x) => Math.Sqrt(x.Sum(v => v * v));

    [Fact]
    public void ClipNorm_BelowTheGradientNorm_ScalesTheWholeStepToEtaTau()
    {
        var (dw, db, trainer) = OneStep(new TrainingOptions { Eta = 0.5, ClipNorm = 1e-3 });
        Assert.True(trainer.LastStepClipped);
        Assert.True(trainer.LastGradientNorm > 1e-3);
        double step = Norm(dw.SelectMany(x => x).Concat(db.SelectMany(x => x)));
        Assert.Equal(0.5 * 1e-3, step, 9);
        trainer.Dispose();
    }

    [Fact]
    public void ClipNorm_AboveTheGradientNorm_LeavesTheStepAlone()
    {
        var (plain, _, t1) = OneStep(new TrainingOptions());
        var (clipped, _, t2) = OneStep(new TrainingOptions { ClipNorm = 1e6 });
        Assert.False(t2.LastStepClipped);
        Assert.Equal(plain[0], clipped[0]);
        Assert.True(double.IsNaN(t1.LastGradientNorm));
        t1.Dispose();
        t2.Dispose();
    }

    [Fact]
    public void ClipValue_Small_BoundsEveryComponent()
    {
        var (dw, db, trainer) = OneStep(new TrainingOptions { Eta = 1, ClipValue = 1e-4 });
        Assert.True(trainer.LastStepClipped);
        Assert.All(dw.SelectMany(x => x).Concat(db.SelectMany(x => x)), d => Assert.True(Math.Abs(d) <= 1e-4 + 1e-15));
        trainer.Dispose();
    }

    [Fact]
    public void Rates_PerLayerAndPerType_ScaleTheSteps()
    {
        var (w1, b1, t1) = OneStep(new TrainingOptions());
        var (w2, b2, t2) = OneStep(new TrainingOptions { LayerRates = [1, 3, 1], WeightRate = 2, BiasRate = 0.5 });
        for (int i = 0; i < 3; i++)
        {
            double layer = i == 1 ? 3 : 1;
            for (int k = 0; k < w1[i].Length; k++) Assert.Equal(layer * 2 * w1[i][k], w2[i][k], 12);
            for (int k = 0; k < b1[i].Length; k++) Assert.Equal(layer * 0.5 * b1[i][k], b2[i][k], 12);
        }
        t1.Dispose();
        t2.Dispose();
    }

    [Fact]
    public void TrustRatio_On_MovesEveryLayerByTheSameFraction()
    {
        var network = Network<double>.Create(Spec, seed: 3);
        var (dw, _, trainer) = OneStep(new TrainingOptions { Eta = 1, TrustRatio = 0.01 });
        for (int i = 0; i < 3; i++)
            Assert.Equal(0.01, Norm(dw[i]) / Norm(network.Layers[i].Weights), 9);
        trainer.Dispose();
    }

    [Fact]
    public void ProbeSet_ClippingOn_RecordsGlobalNormAndClipRate()
    {
        var network = Network<double>.Create(Spec, seed: 3);
        var data = TestNets.RandomData(40, 6, 3, oneHot: true, seed: 4);
        var sink = new MemorySink();
        using var trainer = new Trainer<double>(network, new TrainingOptions { ClipNorm = 1e-3 });
        using var handle = trainer.Attach(new ProbeSet<double>(network, ProbeOptions.FromPreset("minimal"), sink));
        trainer.TrainEpoch(data);
        var rates = sink.Of(Quantity.ClipRate).ToList();
        Assert.Equal(4, rates.Count);
        Assert.All(rates, r => Assert.Equal(1.0, r.Value));
        Assert.All(sink.Of(Quantity.GradGlobalNorm), r => Assert.True(r.Value > 1e-3));
    }

    [Fact]
    public void ProbeSet_ClippingOff_RecordsNoClipRate()
    {
        var network = Network<double>.Create(Spec, seed: 3);
        var sink = new MemorySink();
        using var trainer = new Trainer<double>(network, new TrainingOptions());
        using var handle = trainer.Attach(new ProbeSet<double>(network, ProbeOptions.FromPreset("minimal"), sink));
        trainer.TrainEpoch(TestNets.RandomData(20, 6, 3, oneHot: true, seed: 4));
        Assert.Empty(sink.Of(Quantity.ClipRate));
    }

    [Fact]
    public void ModelFile_BatchNormalizedNetwork_RoundTripsGainsAndRunningStatistics()
    {
        var spec = Spec with { Normalization = "batch", Residual = true, Layers = [6, 5, 5, 3] };
        var network = Network<float>.Create(spec, seed: 2);
        var data = TestNets.Separable<float>(100, 6, seed: 5);
        using (var trainer = new Trainer<float>(network, new TrainingOptions { Eta = 0.3, Optimizer = "adam" }))
            trainer.TrainEpoch(TestNets.RandomData(50, 6, 3, oneHot: true, seed: 1).Convert<float>());
        string path = Path.Combine(Path.GetTempPath(), $"gradscope-bn-{Guid.NewGuid():N}.gsm");
        try
        {
            ModelFile.Save(network, path);
            var loaded = ModelFile.Load<float>(path);
            for (int i = 0; i < network.Depth; i++)
            {
                Assert.Equal(network.Layers[i].Scale, loaded.Layers[i].Scale);
                Assert.Equal(network.Layers[i].RunningMean, loaded.Layers[i].RunningMean);
                Assert.Equal(network.Layers[i].RunningVariance, loaded.Layers[i].RunningVariance);
            }
            Assert.Contains(network.Layer(1).RunningMean, m => m != 0);
            Assert.Equal(TestNets.Hash(network), TestNets.Hash(loaded));
            Assert.True(loaded.Layer(2).Residual);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ModelFile_Version1File_StillLoads()
    {
        var network = Network<double>.Create(Spec, seed: 2);
        string path = Path.Combine(Path.GetTempPath(), $"gradscope-v1-{Guid.NewGuid():N}.gsm");
        try
        {
            ModelFile.Save(network, path);
            // A version 1 file is a version 3 file without the trailing standardisation block (int32 0 when there is none).
            var bytes = File.ReadAllBytes(path)[..^4];
            BitConverter.GetBytes(1).CopyTo(bytes, 8); // the version follows the 8-byte magic
            File.WriteAllBytes(path, bytes);
            Assert.Equal(TestNets.Hash(network), TestNets.Hash(ModelFile.Load<double>(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("adam", "none", 0.0)]
    [InlineData("nesterov", "batch", 1.0)]
    [InlineData("rmsprop", "layer", 0.0)]
    [InlineData("kfac", "none", 1.0)]
    public void TrainBatch_SteadyStateWithRemedies_AllocatesNothing(string optimizer, string normalization, double clip)
    {
        var spec = new NetworkSpec { Layers = [100, 30, 30, 30, 2], Activation = "sigmoid", Normalization = normalization, Residual = true };
        var data = TestNets.Separable<float>(200, spec.Layers[0], seed: 1);
        var network = Network<float>.Create(spec, seed: 1);
        using var trainer = new Trainer<float>(network, new TrainingOptions
        {
            Eta = 0.01, BatchSize = 10, Optimizer = optimizer, ClipNorm = clip, TrustRatio = clip, KfacInverseEvery = 20,
        });
        int[] indices = Enumerable.Range(0, 10).ToArray();
        for (int i = 0; i < 30; i++) trainer.TrainBatch(data, indices);
        // The quietest of several windows: a one-off allocation by the runtime shows in one window at most.
        var windows = new long[4];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 60; i++) trainer.TrainBatch(data, indices);
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, windows.Min());
    }
}
