using Gradscope.Tests.Support;
using Gradscope.Model;
using Gradscope.Numerics;

namespace Gradscope.Tests.Engine;

public sealed class InitializerTests
{
    [Theory]
    [InlineData("standard-normal", 1.0)]
    [InlineData("scaled-normal", 0.05)]          // 1/√400
    [InlineData("lecun-normal", 0.05)]
    [InlineData("he-normal", 0.0707106781)]      // √(2/400)
    [InlineData("he-uniform", 0.0707106781)]
    [InlineData("glorot-normal", 0.0577350269)]  // √(2/600)
    [InlineData("glorot-uniform", 0.0577350269)]
    [InlineData("standard-uniform", 0.0288675135)] // 1/√(3·400)
    public void Fill_Named_HasThePublishedStandardDeviation(string name, double expectedStd)
    {
        var w = new double[200 * 400];
        Initializer.Parse(name).Fill(w, 200, 400, new Rng(1));
        double mean = w.Average();
        double std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(std / expectedStd, 0.98, 1.02);
        Assert.InRange(Math.Abs(mean), 0, 0.02 * expectedStd * 10);
    }

    [Theory]
    [InlineData(30, 50)]
    [InlineData(50, 30)]
    [InlineData(40, 40)]
    public void Fill_Orthogonal_GivesOrthonormalRowsOrColumns(int rows, int cols)
    {
        var w = new double[rows * cols];
        Initializer.Parse("orthogonal:2").Fill(w, rows, cols, new Rng(3));
        bool byRows = rows <= cols;
        int count = byRows ? rows : cols, length = byRows ? cols : rows;
        for (int i = 0; i < count; i++)
            for (int j = 0; j < count; j++)
            {
                double dot = 0;
                for (int t = 0; t < length; t++)
                    dot += byRows ? w[i * cols + t] * w[j * cols + t] : w[t * cols + i] * w[t * cols + j];
                Assert.Equal(i == j ? 4.0 : 0.0, dot, 1e-10);
            }
    }

    [Fact]
    public void Create_SameSeed_SameWeights()
    {
        var spec = new NetworkSpec { Layers = [20, 10, 5], Init = "glorot-uniform" };
        var a = Network<float>.Create(spec, 42);
        var b = Network<float>.Create(spec, 42);
        var c = Network<float>.Create(spec, 43);
        Assert.Equal(a.Layer(1).Weights, b.Layer(1).Weights);
        Assert.NotEqual(a.Layer(1).Weights, c.Layer(1).Weights);
    }
}
