using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Numerics;
using Gradscope.Training;

namespace Gradscope.Tests.Support;

/// <summary>Small nets and data sets for tests, all from fixed seeds.</summary>
internal static class TestNets
{
    /// <summary>Random inputs in [−1, 1] and one-hot or uniform [0,1] targets.</summary>
    public static Dataset<double> RandomData(int count, int inputs, int outputs, bool oneHot, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new double[count * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = rng.Uniform(-1, 1);
        var y = new double[count * outputs];
        int[]? labels = oneHot ? new int[count] : null;
        for (int i = 0; i < count; i++)
        {
            if (oneHot)
            {
                labels![i] = rng.NextInt(outputs);
                y[i * outputs + labels[i]] = 1;
            }
            else
            {
                for (int j = 0; j < outputs; j++) y[i * outputs + j] = rng.NextDouble();
            }
        }
        return new Dataset<double>("random", inputs, outputs, x, y, labels);
    }

    /// <summary>Two classes split by a random hyperplane through the origin, with a margin.</summary>
    public static Dataset<T> Separable<T>(int count, int inputs, ulong seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        var normal = new double[inputs];
        for (int j = 0; j < inputs; j++) normal[j] = rng.NextNormal();
        var pixels = new float[count * inputs];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            double dot;
            var row = new double[inputs];
            do
            {
                dot = 0;
                for (int j = 0; j < inputs; j++)
                {
                    row[j] = rng.Uniform(-1, 1);
                    dot += row[j] * normal[j];
                }
            } while (Math.Abs(dot) < 0.2);
            for (int j = 0; j < inputs; j++) pixels[i * inputs + j] = (float)row[j];
            labels[i] = dot > 0 ? 1 : 0;
        }
        return Dataset<T>.Classification("separable", inputs, pixels, labels, 2);
    }

    /// <summary>Mean cost of the whole set under the network, in float64.</summary>
    public static double Cost(Network<double> network, Dataset<double> data, ForwardMode mode = ForwardMode.Inference)
    {
        var ws = new Workspace<double>(network, data.Count);
        ws.Load(data, 0, data.Count);
        Backprop.Forward(network, ws, data.Count, null, mode);
        return Backprop.BatchCost(network, ws, data.Count);
    }

    /// <summary>Backprop's gradients of the mean cost on the whole set.</summary>
    public static Workspace<double> Gradients(Network<double> network, Dataset<double> data, ForwardMode mode = ForwardMode.Inference)
    {
        var ws = new Workspace<double>(network, data.Count);
        ws.Load(data, 0, data.Count);
        Backprop.Forward(network, ws, data.Count, null, mode);
        Backprop.Backward(network, ws, data.Count, null, [], default);
        return ws;
    }

    public static string Hash<T>(Network<T> network) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var layer in network.Layers)
        {
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes<T>(layer.Weights));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes<T>(layer.Biases));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
