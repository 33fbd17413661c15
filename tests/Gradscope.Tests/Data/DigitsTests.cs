using Gradscope.Data;
using Gradscope.Numerics;
using Xunit.Abstractions;

namespace Gradscope.Tests.Data;

public sealed class DigitsTests(ITestOutputHelper output)
{
    [Fact]
    public void Load_SameSeed_GivesIdenticalPixelsAndLabels()
    {
        var a = Digits.Load(600, 100, seed: 5);
        var b = Digits.Load(600, 100, seed: 5);

        Assert.True(a.Train.Inputs.SequenceEqual(b.Train.Inputs));
        Assert.True(a.Train.Labels.SequenceEqual(b.Train.Labels));
        Assert.True(a.Test.Inputs.SequenceEqual(b.Test.Inputs));
    }

    [Fact]
    public void Load_DifferentSeed_GivesDifferentPixels()
    {
        var a = Digits.Load(200, 50, seed: 5);
        var b = Digits.Load(200, 50, seed: 6);

        Assert.False(a.Train.Inputs.SequenceEqual(b.Train.Inputs));
        Assert.False(a.Test.Inputs.SequenceEqual(b.Test.Inputs));
    }

    [Fact]
    public void Load_TrainAndTest_AreDifferentDigits()
    {
        var split = Digits.Load(100, 100, seed: 5);

        Assert.False(split.Train.Inputs.SequenceEqual(split.Test.Inputs));
    }

    [Fact]
    public void Generate_ExampleDependsOnlyOnItsOwnStream()
    {
        var rng = new Rng(11);
        var set = DigitsGenerator.Generate("d", 300, rng);
        var alone = new float[DigitsGenerator.PixelCount];

        // Example 257 sits in the second parallel chunk; rendering it alone from its fork must reproduce it.
        DigitsGenerator.Render(set.Label(257), new Rng(11).Fork(1).Fork(257), alone);

        Assert.True(set.Input(257).SequenceEqual(alone));
    }

    [Fact]
    public void Load_Labels_AreBalancedAcrossTenClasses()
    {
        var split = Digits.Load(1003, 250, seed: 2);

        var counts = new int[10];
        foreach (int label in split.Train.Labels) counts[label]++;
        Assert.All(counts, c => Assert.InRange(c, 100, 101));
        Assert.Equal(10, split.Train.OutputSize);
        Assert.Equal(784, split.Train.InputSize);
        // Shuffled, not 0,1,2,…: the first ten labels are not simply the ten digits in order.
        Assert.NotEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], split.Train.Labels[..10].ToArray());
    }

    [Fact]
    public void Load_Pixels_LieInUnitIntervalWithInkAndBackground()
    {
        var split = Digits.Load(500, 10, seed: 3);

        for (int i = 0; i < split.Train.Count; i++)
        {
            var x = split.Train.Input(i);
            int ink = 0, background = 0;
            foreach (float v in x)
            {
                Assert.InRange(v, 0f, 1f);
                if (v > 0.5f) ink++;
                if (v == 0f) background++;
            }
            Assert.InRange(ink, 10, 400);
            Assert.True(background > 300, $"example {i} has only {background} background pixels");
        }
    }

    [Fact]
    public void RenderAscii_OneDigit_Is28LinesOf28Characters()
    {
        var split = Digits.Load(10, 10, seed: 4);

        string picture = DigitsGenerator.RenderAscii(split.Train.Input(0));
        output.WriteLine($"label {split.Train.Label(0)}:\n{picture}");

        var lines = picture.TrimEnd('\n').Split('\n');
        Assert.Equal(28, lines.Length);
        Assert.All(lines, l => Assert.Equal(28, l.Length));
        Assert.True(picture.IndexOfAny(['#', '%', '@']) >= 0, "no dark pixels in the picture");
    }

    /// <summary>
    /// The digits must be learnable: a throwaway one-hidden-layer sigmoid net (plain float64 loops, independent of
    /// the engine) trained on 8 000 digits for 4 epochs must classify held-out digits above 85 %, yet not perfectly.
    /// </summary>
    [Fact]
    public void Load_SmallSigmoidNet_LearnsHeldOutDigitsAbove85Percent()
    {
        var split = Digits.Load(8000, 2000, seed: 9);
        var net = new TinyNet(784, 30, 10, new Rng(1));
        var order = Enumerable.Range(0, split.Train.Count).ToArray();
        var rng = new Rng(2);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            rng.Shuffle(order);
            for (int s = 0; s < order.Length; s += 10) net.Step(split.Train, order.AsSpan(s, 10), eta: 0.5);
        }

        double accuracy = net.Accuracy(split.Test);
        output.WriteLine($"held-out accuracy {accuracy:P1}");
        Assert.True(accuracy > 0.85, $"held-out accuracy {accuracy:P1}");
        Assert.True(accuracy < 0.999, $"held-out accuracy {accuracy:P1}: the task is too easy to show anything");
    }

    /// <summary>
    /// [784, h, 10] sigmoid net, cross-entropy cost, mini-batch SGD: Nielsen's network2 in a few loops. W¹ is stored
    /// input-major and only the non-zero pixels (about a fifth) are visited, which keeps the test fast in Debug.
    /// </summary>
    private sealed class TinyNet
    {
        private readonly int _n0, _n1, _n2;
        private readonly double[] _w1, _b1, _w2, _b2, _gw1, _gb1, _gw2, _gb2, _a1, _a2, _d1, _z1;

        public TinyNet(int n0, int n1, int n2, Rng rng)
        {
            (_n0, _n1, _n2) = (n0, n1, n2);
            _w1 = new double[n0 * n1];
            _w2 = new double[n2 * n1];
            for (int i = 0; i < _w1.Length; i++) _w1[i] = rng.NextNormal() / Math.Sqrt(n0);
            for (int i = 0; i < _w2.Length; i++) _w2[i] = rng.NextNormal() / Math.Sqrt(n1);
            (_b1, _b2) = (new double[n1], new double[n2]);
            (_gw1, _gb1, _gw2, _gb2) = (new double[_w1.Length], new double[n1], new double[_w2.Length], new double[n2]);
            (_a1, _a2, _d1, _z1) = (new double[n1], new double[n2], new double[n1], new double[n1]);
        }

        private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

        private void Forward(ReadOnlySpan<float> x)
        {
            _b1.CopyTo(_z1, 0);
            for (int i = 0; i < _n0; i++)
            {
                if (x[i] == 0) continue;
                for (int j = 0; j < _n1; j++) _z1[j] += _w1[i * _n1 + j] * x[i];
            }
            for (int j = 0; j < _n1; j++) _a1[j] = Sigmoid(_z1[j]);
            for (int j = 0; j < _n2; j++)
            {
                double z = _b2[j];
                for (int k = 0; k < _n1; k++) z += _w2[j * _n1 + k] * _a1[k];
                _a2[j] = Sigmoid(z);
            }
        }

        public void Step(Dataset<float> data, ReadOnlySpan<int> batch, double eta)
        {
            Array.Clear(_gw1);
            Array.Clear(_gb1);
            Array.Clear(_gw2);
            Array.Clear(_gb2);
            foreach (int n in batch)
            {
                var x = data.Input(n);
                var y = data.Target(n);
                Forward(x);
                // Cross-entropy with sigmoid outputs: δ^L = a − y, no σ' factor.
                for (int j = 0; j < _n2; j++)
                {
                    double delta = _a2[j] - y[j];
                    _gb2[j] += delta;
                    for (int k = 0; k < _n1; k++) _gw2[j * _n1 + k] += delta * _a1[k];
                }
                for (int k = 0; k < _n1; k++)
                {
                    double sum = 0;
                    for (int j = 0; j < _n2; j++) sum += _w2[j * _n1 + k] * (_a2[j] - y[j]);
                    _d1[k] = sum * _a1[k] * (1 - _a1[k]);
                    _gb1[k] += _d1[k];
                }
                for (int i = 0; i < _n0; i++)
                {
                    if (x[i] == 0) continue;
                    for (int k = 0; k < _n1; k++) _gw1[i * _n1 + k] += _d1[k] * x[i];
                }
            }
            double f = eta / batch.Length;
            for (int i = 0; i < _w1.Length; i++) _w1[i] -= f * _gw1[i];
            for (int i = 0; i < _w2.Length; i++) _w2[i] -= f * _gw2[i];
            for (int i = 0; i < _n1; i++) _b1[i] -= f * _gb1[i];
            for (int i = 0; i < _n2; i++) _b2[i] -= f * _gb2[i];
        }

        public double Accuracy(Dataset<float> data)
        {
            int correct = 0;
            for (int n = 0; n < data.Count; n++)
            {
                Forward(data.Input(n));
                int best = 0;
                for (int j = 1; j < _n2; j++) if (_a2[j] > _a2[best]) best = j;
                if (best == data.Label(n)) correct++;
            }
            return correct / (double)data.Count;
        }
    }
}
