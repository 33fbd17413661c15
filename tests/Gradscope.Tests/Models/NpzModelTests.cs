using System.IO.Compression;
using System.Text;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Tests.Data;

namespace Gradscope.Tests.Models;

public sealed class NpzModelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A .npy written byte by byte as NEP 1 describes it, independently of <see cref="Npy.Write"/>.</summary>
    private static byte[] HandMadeNpy(string descr, string shape, byte[] data, bool fortran = false)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int unpadded = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.AddRange([1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static byte[] Doubles(params double[] v) => [.. v.SelectMany(BitConverter.GetBytes)];

    private static byte[] Floats(params float[] v) => [.. v.SelectMany(BitConverter.GetBytes)];

    private string HandMadeNpz(string name, params (string Entry, byte[] Npy)[] entries)
    {
        string path = _dir.File(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, npy) in entries)
        {
            using var s = zip.CreateEntry(entry, CompressionLevel.Optimal).Open();
            s.Write(npy);
        }
        return path;
    }

    [Fact]
    public void Load_HandMadeStateDict_ValuesInPlace()
    {
        // A 2→3→1 chain: module 0's weight in float64 C order, its bias in float32 (exact), module 2's weight in
        // Fortran order (a transposed NumPy array saved as is), with modules out of archive order.
        string path = HandMadeNpz("hand.npz",
            ("layers.2.weight.npy", HandMadeNpy("<f8", "(1, 3)", Doubles(0.5, -0.25, 2), fortran: true)),
            ("layers.0.weight.npy", HandMadeNpy("<f8", "(3, 2)", Doubles(1, 2, 3, 4, 5, 6))),
            ("layers.0.bias.npy", HandMadeNpy("<f4", "(3,)", Floats(0.5f, -1, 0.125f))),
            ("layers.2.bias.npy", HandMadeNpy(">f8", "(1,)", [.. BitConverter.GetBytes(7.0).Reverse()])));
        Assert.Equal([2, 3, 1], NpzModel.ReadSizes(path));
        var net = NpzModel.Load<double>(path, new NetworkSpec { Activation = "tanh", Cost = "quadratic", OutputActivation = "identity" });
        Assert.Equal([2, 3, 1], net.Spec.Layers);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], net.Find(1, ParameterRole.Weight)!.Values);
        Assert.Equal([0.5, -1, 0.125], net.Find(1, ParameterRole.Bias)!.Values);
        Assert.Equal([0.5, -0.25, 2], net.Find(2, ParameterRole.Weight)!.Values);
        Assert.Equal([7.0], net.Find(2, ParameterRole.Bias)!.Values);
    }

    [Fact]
    public void Save_ThenRead_PyTorchSequentialNamesAndExactValues()
    {
        var net = Network<double>.Create(new NetworkSpec { Layers = [4, 5, 3], Activation = "relu", Cost = "log-likelihood" }, 3);
        string path = _dir.File("out.npz");
        NpzModel.Save(net, path);
        var arrays = Npz.Read(path);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], arrays.Select(a => a.Name));
        Assert.Equal([5, 4], arrays[0].Array.Shape);
        Assert.Equal([5], arrays[1].Array.Shape);
        var back = NpzModel.Load<double>(path, net.Spec);
        for (int i = 0; i < net.Parameters.Count; i++) Assert.Equal(net.Parameters[i].Values, back.Parameters[i].Values);
        // The file's bytes depend on the values alone.
        string again = _dir.File("again.npz");
        NpzModel.Save(back, again);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void Load_ChainThatDoesNotConnect_Refused()
    {
        string path = HandMadeNpz("bad.npz",
            ("0.weight.npy", HandMadeNpy("<f8", "(3, 2)", Doubles(1, 2, 3, 4, 5, 6))),
            ("1.weight.npy", HandMadeNpy("<f8", "(1, 2)", Doubles(1, 2))));
        var e = Assert.Throws<InvalidDataException>(() => NpzModel.ReadSizes(path));
        Assert.Contains("'1.weight' takes 2 inputs but the module before it gives 3", e.Message);
    }

    [Fact]
    public void Load_NotALinearLayer_Refused()
    {
        string path = HandMadeNpz("bn.npz", ("1.running_mean.npy", HandMadeNpy("<f8", "(2,)", Doubles(1, 2))));
        var e = Assert.Throws<InvalidDataException>(() => NpzModel.ReadSizes(path));
        Assert.Contains("'1.running_mean' is not a layer's weight or bias", e.Message);
    }

    [Fact]
    public void ModelFile_WithScaling_RoundTrips()
    {
        var net = Network<float>.Create(new NetworkSpec { Layers = [2, 3, 2], Activation = "tanh" }, 1);
        var scaling = new Gradscope.Data.FeatureScaling([1.5, -2], [0.5, 3]);
        string path = _dir.File("m.gsm");
        ModelFile.Save(net, path, scaling);
        var (back, read) = ModelFile.Read<float>(path);
        Assert.Equal(scaling.Mean, read!.Mean);
        Assert.Equal(scaling.Scale, read.Scale);
        for (int i = 0; i < net.Parameters.Count; i++) Assert.Equal(net.Parameters[i].Values, back.Parameters[i].Values);
        Assert.Equal(net.Spec.Layers, ModelFile.ReadSpec(path).Layers);
    }
}
