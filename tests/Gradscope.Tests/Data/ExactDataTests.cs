using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Gradscope.Cli;
using Gradscope.Data;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.Data;

/// <summary>
/// A float64 run's data are float64 from the source on: the digits rendered in float64, IDX pixels as float64
/// byte / 255; the float32 sets stay exactly what they were, and a float64 run never makes them.
/// </summary>
public sealed class ExactDataTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Hash(ReadOnlySpan<float> v) => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(v)))[..16];

    [Fact]
    public void Digits_Float32_BitIdenticalToTheRendererBeforeItWasGeneric()
    {
        // Hashes of Digits.Load(300, 100, 20101) computed with the float-only renderer of commit 15413a7.
        var split = Digits.Load(300, 100, 20101);
        Assert.Equal("84277F6946384EA3", Hash(split.Train.Inputs));
        Assert.Equal("0FF6F112693E7DF8", Hash(split.Test.Inputs));
        Assert.Null(split.ExactTrain);
    }

    [Fact]
    public void Digits_Exact_RenderedInFloat64AndNoFloat32CopyMade()
    {
        var float32 = Digits.Load(300, 100, 20101);
        var exact = Digits.Load(300, 100, 20101, exact: true);
        var x = exact.ExactTrain!.Inputs;
        Assert.Equal(float32.Train.Labels.ToArray(), exact.ExactTrain.Labels.ToArray());
        // Sizes, counts and labels come without making the float32 values.
        Assert.Equal((300, 784, 10), (exact.Train.Count, exact.Train.InputSize, exact.Train.OutputSize));
        Assert.Equal(float32.Test.Labels.ToArray(), exact.Test.Labels.ToArray());
        Assert.False(exact.Train.IsMade);
        Assert.False(exact.Test.IsMade);

        int wider = 0;
        double largest = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] != (float)x[i]) wider++; // not a float32 value widened
            largest = Math.Max(largest, Math.Abs(x[i] - float32.Train.Inputs[i]));
        }
        Assert.True(wider > x.Length / 20, $"{wider} of {x.Length} pixels carry more than float32 precision");
        Assert.True(largest < 1e-6, $"float64 and float32 renders differ by {largest:e2}: not the same digits");
    }

    [Fact]
    public void Idx_Exact_PixelsAreByteOver255InFloat64AndTheFloat32SetIsUnchanged()
    {
        IdxTestFiles.WriteMnistFolder(_dir.Path, trainCount: 12, testCount: 5);
        var pixels = IdxTestFiles.Pixels(12, 4, 3);
        var split = MnistFiles.LoadFolder(_dir.Path, exact: true);
        for (int i = 0; i < pixels.Length; i++) Assert.Equal(pixels[i] / 255.0, split.ExactTrain!.Inputs[i]);
        Assert.False(split.Train.IsMade);
        var float32 = MnistFiles.LoadFolder(_dir.Path);
        Assert.Equal(float32.Train.Inputs.ToArray(), split.Train.Inputs.ToArray()); // float32(b / 255.0) is b / 255f for every byte
        Assert.Equal(float32.Test.Targets.ToArray(), split.Test.Targets.ToArray());
    }

    /// <summary>
    /// Through the CLI: <c>train --precision float64 --epochs 0</c> records ‖∂C/∂b^l‖ at init on the float64 data
    /// (1e-13) and not on float32 pixels widened, which differ by more than that on the same weights.
    /// </summary>
    [Theory]
    [InlineData("digits")]
    [InlineData("idx")]
    public void Train_Float64AtInit_GradientsAreThoseOfTheFloat64Pixels(string source)
    {
        const int n = 16;
        string data = source;
        string layers = "784,12,10";
        if (source == "idx")
        {
            data = _dir.File("idx");
            Directory.CreateDirectory(data);
            IdxTestFiles.WriteMnistFolder(data, trainCount: n, testCount: 4);
            layers = "12,9,10";
        }
        var run = CliRunner.Run(_dir.Path, "train", "--data", data, "--layers", layers, "--precision", "float64", "--epochs", "0",
            "--batch", $"{n}", "--train-size", $"{n}", "--test-size", "4", "--probes", "standard", "--seed", "5", "--name", source, "--out", "runs", "--no-report");
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        string dir = Directory.GetDirectories(_dir.File("runs"), source + "*").Single();
        var net = ModelFile.Load<double>(Path.Combine(dir, "model.gsm"));
        var split = DataSources.Load(data, n, 4, DataLoading.DigitsSeed, exact: true);
        var exact = TestNets.Gradients(net, split.ExactTrain!);
        var widened = TestNets.Gradients(net, split.Train.Convert<double>());
        var records = File.ReadLines(Path.Combine(dir, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("quantity").GetString() == Quantity.ReferenceBiasGradNorm).ToList();
        double worstWidened = 0;
        for (int l = 1; l <= net.Depth; l++)
        {
            double recorded = records.Single(r => r.GetProperty("layer").GetInt32() == l).GetProperty("value").GetDouble();
            double expected = Norm(exact.BiasGradientOf(l));
            Assert.True(Math.Abs(recorded - expected) <= 1e-13 * expected,
                string.Create(CultureInfo.InvariantCulture, $"layer {l}: recorded {recorded:R}, float64 pixels give {expected:R}"));
            worstWidened = Math.Max(worstWidened, Math.Abs(recorded - Norm(widened.BiasGradientOf(l))) / expected);
        }
        Assert.True(worstWidened > 1e-11, $"float32 pixels widened give the same gradients ({worstWidened:e2}): the test would not tell them apart");
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }
}
