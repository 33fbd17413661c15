using Gradscope.Observation;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

public sealed class TrainingTests
{
    private static readonly NetworkSpec SmallSpec = new()
    {
        Layers = [10, 16, 2],
        Activation = "sigmoid",
        Cost = "cross-entropy",
    };

    [Fact]
    public void TrainEpoch_SeparableTask_ReachesOver95Percent()
    {
        var train = TestNets.Separable<float>(2000, 10, seed: 3);
        var test = TestNets.Separable<float>(500, 10, seed: 3).Slice(0, 500);
        var network = Network<float>.Create(SmallSpec, seed: 1);
        double before = Evaluation.Of(network, train).Accuracy;
        using var trainer = new Trainer<float>(network, new TrainingOptions { Eta = 0.5, BatchSize = 10, Seed = 1 });
        for (int epoch = 0; epoch < 10; epoch++) trainer.TrainEpoch(train);
        var after = Evaluation.Of(network, train);
        Assert.True(after.Accuracy > 0.95, $"accuracy {after.Accuracy:P1} (before {before:P1})");
        Assert.True(Evaluation.Of(network, test).Accuracy > 0.9);
    }

    [Fact]
    public void ModelFile_SavedAndLoaded_PredictsIdentically()
    {
        var data = TestNets.Separable<float>(300, 10, seed: 5);
        var network = Network<float>.Create(SmallSpec with { Layers = [10, 7, 5, 2], Activation = "tanh" }, seed: 2);
        using (var trainer = new Trainer<float>(network, new TrainingOptions { Eta = 0.3, Seed = 2 }))
            trainer.TrainEpoch(data);
        string path = Path.Combine(Path.GetTempPath(), $"gradscope-model-{Guid.NewGuid():N}.gsm");
        try
        {
            ModelFile.Save(network, path);
            var loaded = ModelFile.Load<float>(path);
            Assert.Equal(network.Spec.Layers, loaded.Spec.Layers);
            Assert.Equal(TestNets.Hash(network), TestNets.Hash(loaded));
            var ws1 = new Workspace<float>(network, data.Count);
            var ws2 = new Workspace<float>(loaded, data.Count);
            ws1.Load(data, 0, data.Count);
            ws2.Load(data, 0, data.Count);
            Backprop.Forward(network, ws1, data.Count);
            Backprop.Forward(loaded, ws2, data.Count);
            Assert.True(ws1.Output(data.Count).SequenceEqual(ws2.Output(data.Count)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ModelFile_Truncated_ThrowsNamingTheFile()
    {
        var network = Network<double>.Create(SmallSpec, seed: 2);
        string path = Path.Combine(Path.GetTempPath(), $"gradscope-model-{Guid.NewGuid():N}.gsm");
        try
        {
            ModelFile.Save(network, path);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length - 9)]);
            var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<double>(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    public void TrainEpoch_SameSeed_BitIdenticalWeightsWhateverTheThreads(int threadsA, int threadsB)
    {
        var data = TestNets.Separable<float>(400, 64, seed: 9);
        var spec = new NetworkSpec { Layers = [64, 96, 80, 2], Activation = "relu", Init = "he-normal", Cost = "log-likelihood" };
        string Run(int threads)
        {
            var network = Network<float>.Create(spec, seed: 4);
            using var trainer = new Trainer<float>(network, new TrainingOptions { Eta = 0.05, BatchSize = 50, Seed = 4, Threads = threads, Lambda = 1 });
            trainer.TrainEpoch(data);
            trainer.TrainEpoch(data);
            return TestNets.Hash(network);
        }
        string first = Run(threadsA);
        Assert.Equal(first, Run(threadsA));
        Assert.Equal(first, Run(threadsB));
        Assert.NotEqual(TestNets.Hash(Network<float>.Create(spec, seed: 4)), first);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    public void TrainBatch_SteadyState_AllocatesNothing(int threads, bool observed)
    {
        var data = TestNets.Separable<float>(200, 784, seed: 1);
        var spec = new NetworkSpec { Layers = [784, 30, 30, 30, 2], Activation = "sigmoid" };
        var network = Network<float>.Create(spec, seed: 1);
        using var trainer = new Trainer<float>(network, new TrainingOptions { Eta = 0.1, BatchSize = 10, Threads = threads });
        using var handle = observed ? trainer.Attach(new CountingObserver()) : null;
        int[] indices = Enumerable.Range(0, 10).ToArray();
        for (int i = 0; i < 300; i++) trainer.TrainBatch(data, indices);
        // A per-step allocation would show in every window; a one-off by the runtime (tiering up a method while the
        // suite runs in parallel) shows in one at most, so the quietest window must be exactly zero.
        var windows = new long[5];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++) trainer.TrainBatch(data, indices);
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, windows.Min());
    }

    [Fact]
    public void Attach_DisposedHandle_StopsObserving()
    {
        var data = TestNets.Separable<double>(20, 4, seed: 1);
        var network = Network<double>.Create(SmallSpec with { Layers = [4, 3, 3, 2] }, seed: 1);
        using var trainer = new Trainer<double>(network, new TrainingOptions { BatchSize = 10 });
        var observer = new CountingObserver();
        var handle = trainer.Attach(observer);
        trainer.TrainEpoch(data);
        Assert.Equal(2 * 3, observer.Layers);
        Assert.Equal(2, observer.Steps);
        Assert.Equal([3, 2, 1], observer.Order.Take(3));
        handle.Dispose();
        trainer.TrainEpoch(data);
        Assert.Equal(2, observer.Steps);
    }

    private sealed class CountingObserver : ITrainingObserver<float>, ITrainingObserver<double>
    {
        public int Layers { get; private set; }
        public int Steps { get; private set; }
        public List<int> Order { get; } = new(64);

        public void OnLayer(in StepInfo step, in LayerView<float> view) => Layers++;

        public void OnLayer(in StepInfo step, in LayerView<double> view)
        {
            Layers++;
            if (Order.Count < 64) Order.Add(view.Index);
        }

        void ITrainingObserver<float>.OnStepCompleted(in StepInfo step, Network<float> network) => Steps++;
        void ITrainingObserver<double>.OnStepCompleted(in StepInfo step, Network<double> network) => Steps++;
    }
}
