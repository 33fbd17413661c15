using Gradscope.Model;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

/// <summary>K-FAC's step against a naive float64 twin, its clipped (full-rank) path, and that it learns.</summary>
public sealed class KfacTests
{
    private static readonly NetworkSpec OneLayer = new() { Layers = [4, 3], Cost = "log-likelihood" };

    [Fact]
    public void Update_OneStepNoAveraging_MatchesNaiveKroneckerPreconditioner()
    {
        const double eta = 0.5, lambda = 0.3;
        var network = Network<double>.Create(OneLayer, seed: 5);
        var before = network.Clone();
        var data = TestNets.RandomData(6, 4, 3, oneHot: true, seed: 6);
        int m = data.Count;

        // Naive twin: δ = a − y for softmax + log-likelihood, ã = [x; 1].
        var ws = TestNets.Gradients(before, data);
        var output = ws.Output(m).ToArray();
        var a = new double[5, 5];
        var g = new double[3, 3];
        var grad = new double[3, 5];
        for (int x = 0; x < m; x++)
        {
            var input = data.Input(x).ToArray().Append(1.0).ToArray();
            var delta = Enumerable.Range(0, 3).Select(j => output[x * 3 + j] - data.Target(x)[j]).ToArray();
            for (int p = 0; p < 5; p++) for (int q = 0; q < 5; q++) a[p, q] += input[p] * input[q] / m;
            for (int p = 0; p < 3; p++) for (int q = 0; q < 3; q++) g[p, q] += delta[p] * delta[q] / m;
            for (int p = 0; p < 3; p++) for (int q = 0; q < 5; q++) grad[p, q] += delta[p] * input[q] / m;
        }
        double traceA = Enumerable.Range(0, 5).Sum(i => a[i, i]) / 5, traceG = Enumerable.Range(0, 3).Sum(i => g[i, i]) / 3;
        double pi = Math.Sqrt(traceA / traceG);
        for (int i = 0; i < 5; i++) a[i, i] += pi * Math.Sqrt(lambda);
        for (int i = 0; i < 3; i++) g[i, i] += Math.Sqrt(lambda) / pi;
        var step = Multiply(Multiply(Inverse(g), grad), Inverse(a));

        using var trainer = new Trainer<double>(network, new TrainingOptions
        {
            Eta = eta, BatchSize = m, Optimizer = "kfac", Decay = 0, Damping = lambda, KfacInverseEvery = 1,
        });
        trainer.TrainBatch(data, Enumerable.Range(0, m).ToArray());
        var layer = network.Layer(1);
        for (int j = 0; j < 3; j++)
        {
            for (int k = 0; k < 4; k++)
                Assert.Equal(before.Layer(1).Weight(j, k) - eta * step[j, k], layer.Weight(j, k), 10);
            Assert.Equal(before.Layer(1).Biases[j] - eta * step[j, 4], layer.Biases[j], 10);
        }
    }

    [Fact]
    public void Update_ClippedGradient_TakesTheFullProductAndScalesTheStep()
    {
        var spec = new NetworkSpec { Layers = [5, 4, 3], Cost = "log-likelihood" };
        var data = TestNets.RandomData(8, 5, 3, oneHot: true, seed: 2);
        double[] Step(double clip, out double norm)
        {
            var network = Network<double>.Create(spec, seed: 1);
            var start = network.Clone();
            using var trainer = new Trainer<double>(network, new TrainingOptions { BatchSize = 8, Optimizer = "kfac", ClipNorm = clip });
            trainer.TrainBatch(data, Enumerable.Range(0, 8).ToArray());
            norm = trainer.LastGradientNorm;
            return network.Layer(1).Weights.Zip(start.Layer(1).Weights, (x, y) => x - y).ToArray();
        }
        var plain = Step(1e9, out double gradientNorm);
        var clipped = Step(1e-3, out _);
        double ratio = 1e-3 / gradientNorm;
        for (int i = 0; i < plain.Length; i++) Assert.Equal(ratio * plain[i], clipped[i], 12);
    }

    [Fact]
    public void TrainEpoch_SigmoidNetWhereSgdStalls_Learns()
    {
        var spec = new NetworkSpec { Layers = [20, 10, 10, 2] };
        var data = TestNets.Separable<double>(300, 20, seed: 3);
        Evaluation Train(string optimizer)
        {
            var network = Network<double>.Create(spec, seed: 2);
            using var trainer = new Trainer<double>(network, new TrainingOptions { Eta = 0.1, Optimizer = optimizer, KfacInverseEvery = 5 });
            for (int epoch = 0; epoch < 3; epoch++) trainer.TrainEpoch(data);
            return Evaluation.Of(network, data);
        }
        var sgd = Train("sgd");
        var kfac = Train("kfac");
        Assert.True(sgd.Cost > 1, $"SGD cost {sgd.Cost:F4}");
        Assert.True(kfac.Cost < 0.3 && kfac.Accuracy > 0.95, $"K-FAC cost {kfac.Cost:F4}, accuracy {kfac.Accuracy:P1}");
    }

    [Fact]
    public void TrainEpoch_InputFactorAboveThresholdLowRank_LearnsLikeExact()
    {
        // 300 inputs: A is 301 wide, above the low-rank threshold, so rank 16 takes the randomized path while
        // rank 301 inverts it exactly; statistics every 4 steps exercise the amortised averaging.
        var spec = new NetworkSpec { Layers = [300, 10, 2] };
        var data = TestNets.Separable<double>(200, 300, seed: 4);
        Evaluation Train(int rank)
        {
            var network = Network<double>.Create(spec, seed: 3);
            using var trainer = new Trainer<double>(network, new TrainingOptions
            {
                Eta = 0.1, Optimizer = "kfac", KfacInverseEvery = 10, KfacStatsEvery = 4, KfacRank = rank, Damping = 0.1,
            });
            for (int epoch = 0; epoch < 2; epoch++) trainer.TrainEpoch(data);
            return Evaluation.Of(network, data);
        }
        var exact = Train(301);
        var lowRank = Train(16);
        Assert.True(Kfac<double>.LowRankThreshold < 301);
        Assert.True(double.IsFinite(lowRank.Cost) && lowRank.Accuracy > 0.9, $"low-rank cost {lowRank.Cost:F4}, accuracy {lowRank.Accuracy:P1}");
        Assert.True(lowRank.Cost < 2 * exact.Cost + 0.05, $"low-rank cost {lowRank.Cost:F4} vs exact {exact.Cost:F4}");
    }

    private static double[,] Multiply(double[,] x, double[,] y)
    {
        int r = x.GetLength(0), k = x.GetLength(1), c = y.GetLength(1);
        var z = new double[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) for (int t = 0; t < k; t++) z[i, j] += x[i, t] * y[t, j];
        return z;
    }

    /// <summary>Gauss–Jordan with partial pivoting: an oracle independent of the Cholesky route.</summary>
    private static double[,] Inverse(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++) inv[i, i] = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int j = 0; j < n; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
                (inv[col, j], inv[pivot, j]) = (inv[pivot, j], inv[col, j]);
            }
            double d = a[col, col];
            for (int j = 0; j < n; j++) { a[col, j] /= d; inv[col, j] /= d; }
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = a[r, col];
                for (int j = 0; j < n; j++) { a[r, j] -= f * a[col, j]; inv[r, j] -= f * inv[col, j]; }
            }
        }
        return inv;
    }
}
