using System.IO.Compression;
using System.Text;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Numerics;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Data;
using Gradscope.Tests.Engine;
using Gradscope.Tests.Support;
using Gradscope.Training;

namespace Gradscope.Tests.Recurrent;

/// <summary>Outputs at every step (sequence labelling): the read-out of each h_t, its gradient, its data and its accuracy.</summary>
public sealed class SequenceLabellingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static NetworkSpec Spec(string cell, string nonlinearity, string cost, int stacked, int inputs = 3, int hidden = 4,
        int outputs = 2, int steps = 5) =>
        RecurrentGradientTests.Spec(cell, nonlinearity, cost, stacked, inputs, hidden, outputs, steps) is var spec
            ? spec with { Recurrent = spec.Recurrent! with { Outputs = "every" } }
            : throw new InvalidOperationException();

    /// <summary>Random sequences with a target at every step: one-hot labels per step, or values in [−1, 1].</summary>
    internal static Dataset<double> StepData(int count, int steps, int inputs, int outputs, bool oneHot, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new double[count * steps * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = rng.Uniform(-1, 1);
        var y = new double[count * steps * outputs];
        int[]? labels = oneHot ? new int[count * steps] : null;
        for (int p = 0; p < count * steps; p++)
        {
            if (labels is not null)
            {
                labels[p] = rng.NextInt(outputs);
                y[p * outputs + labels[p]] = 1;
            }
            else
                for (int o = 0; o < outputs; o++) y[p * outputs + o] = rng.Uniform(-1, 1);
        }
        return new Dataset<double>("steps", steps * inputs, steps * outputs, x, y, labels, targetSteps: steps) { Steps = steps };
    }

    public static TheoryData<string, string, string, int> Cases() => new()
    {
        { "rnn", "tanh", "quadratic", 1 },
        { "rnn", "relu", "log-likelihood", 2 },
        { "lstm", "tanh", "quadratic", 2 },
        { "lstm", "tanh", "log-likelihood", 1 },
        { "gru", "tanh", "quadratic", 1 },
        { "gru", "tanh", "log-likelihood", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_OutputsAtEveryStep_MatchesFiniteDifferences(string cell, string nonlinearity, string cost, int stacked)
    {
        var network = Network<double>.Create(Spec(cell, nonlinearity, cost, stacked), seed: 5);
        foreach (var p in network.Parameters)
            for (int i = 0; i < p.Values.Length; i++) p.Values[i] *= 2.5;
        var data = StepData(4, 5, 3, 2, oneHot: cost != "quadratic", seed: 3);
        var ws = TestNets.Gradients(network, data);
        foreach (var p in network.Parameters)
            GradientCheckTests.CheckParameters(() => TestNets.Cost(network, data), p.Values, ws.GradientOf(p).ToArray(), 1e-5, p.Name);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void Forward_OutputsAtEveryStep_LastStepIsTheLastStepReadoutAndEachStepSumsIntoTheCost(string cell)
    {
        // The same weights (both nets have the same parameters): the read-out of every step at t = τ is the read-out of
        // h_τ alone, and the cost of a sequence is the sum over its steps of the cost of each step's output.
        var every = Network<double>.Create(Spec(cell, "tanh", "log-likelihood", 2), seed: 8);
        var last = Network<double>.Create(RecurrentGradientTests.Spec(cell, "tanh", "log-likelihood", 2), seed: 8);
        Assert.IsType<StepReadoutLayer<double>>(every.Layer(every.Depth));
        const int m = 3, steps = 5, o = 2;
        var data = StepData(m, steps, 3, o, oneHot: true, seed: 4);
        var wsEvery = new Workspace<double>(every, m);
        wsEvery.Load(data, 0, m);
        Backprop.Forward(every, wsEvery, m);
        var lastData = new Dataset<double>("last", steps * 3, o, data.Inputs.ToArray(), new double[m * o]) { Steps = steps };
        var wsLast = new Workspace<double>(last, m);
        wsLast.Load(lastData, 0, m);
        Backprop.Forward(last, wsLast, m);
        var a = wsEvery.Output(m);
        Assert.Equal(m * steps * o, a.Length);
        double cost = 0;
        for (int x = 0; x < m; x++)
        {
            for (int k = 0; k < o; k++) Assert.Equal(wsLast.Output(m)[x * o + k], a[(x * steps + steps - 1) * o + k], 15);
            for (int t = 0; t < steps; t++) cost -= Math.Log(a[(x * steps + t) * o + data.Label(x, t)]);
        }
        Assert.Equal(cost / m, Backprop.BatchCost(every, wsEvery, m), 12);
    }

    [Fact]
    public void Evaluation_LabelAtEveryStep_ClassifiesEachStep()
    {
        var network = Network<double>.Create(Spec("gru", "tanh", "log-likelihood", 1, outputs: 3), seed: 2);
        var data = StepData(7, 5, 3, 3, oneHot: true, seed: 9);
        var ws = new Workspace<double>(network, data.Count);
        ws.Load(data, 0, data.Count);
        Backprop.Forward(network, ws, data.Count);
        int correct = 0;
        var a = ws.Output(data.Count).ToArray();
        for (int p = 0; p < 7 * 5; p++)
        {
            var row = a.AsSpan(p * 3, 3);
            int best = row.IndexOf(row.ToArray().Max());
            if (best == data.Labels[p]) correct++;
        }
        var evaluation = Evaluation.Of(network, data);
        Assert.Equal(35, evaluation.Count);
        Assert.Equal(correct, evaluation.Correct);
        Assert.Equal(correct / 35.0, evaluation.Accuracy, 15);
    }

    [Fact]
    public void SequenceFile_IntegerLabelsPerStep_OneHotTargetAtEveryStep()
    {
        string path = Npz("labels.npz", ("x", Npy("<f8", "(2, 3, 1)", Doubles(1, 2, 3, 4, 5, 6))), ("y", Npy("<i8", "(2, 3)", Longs(0, 2, 1, 1, 0, 2))));
        Assert.True(SequenceFile.Holds(path));
        var train = SequenceFile.Load(path).Train;
        Assert.Equal((3, 3, 3, 9), (train.Steps, train.TargetSteps, train.StepOutputs, train.OutputSize));
        Assert.Equal([0, 2, 1, 1, 0, 2], train.Labels.ToArray());
        Assert.Equal(2, train.Label(1, 2));
        Assert.Equal([1f, 0, 0, 0, 0, 1, 0, 1, 0], train.Target(0).ToArray());
        var slice = train.Slice(1, 1);
        Assert.Equal([1, 0, 2], slice.Labels.ToArray());
    }

    [Fact]
    public void SequenceFile_TargetsPerStep_FloatsAtEveryStep()
    {
        string path = Npz("values.npz", ("x", Npy("<f8", "(1, 2, 1)", Doubles(1, 2))), ("y", Npy("<f8", "(1, 2, 2)", Doubles(0.5, -1, 2, 3))));
        var train = SequenceFile.Load(path).Train;
        Assert.False(train.HasLabels);
        Assert.Equal((2, 2, 4), (train.TargetSteps, train.StepOutputs, train.OutputSize));
        Assert.Equal([0.5f, -1, 2, 3], train.Target(0).ToArray());
        // A table's .npz (x 2-D) is not a sequence file.
        Assert.False(SequenceFile.Holds(Npz("table.npz", ("x", Npy("<f8", "(1, 2)", Doubles(1, 2))), ("y", Npy("<f8", "(1,)", Doubles(1))))));
    }

    [Fact]
    public void Train_OutputsEveryOnLabelsPerStep_LearnsAndRefusesWithoutTheFlag()
    {
        // A task a read-out at every step can learn and one at the end cannot: the label of step t is x_t's sign.
        var rng = new Rng(7);
        const int n = 256, steps = 6;
        var x = new double[n * steps];
        var y = new long[n * steps];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.Uniform(-1, 1);
            y[i] = x[i] > 0 ? 1 : 0;
        }
        string path = Npz("sign.npz", ("x", Npy("<f8", $"({n}, {steps}, 1)", Doubles(x))), ("y", Npy("<i8", $"({n}, {steps})", Longs(y))));
        var refused = CliRunner.Run(_dir.Path, "train", "--cell", "gru", "--hidden", "8", "--data", path, "--epochs", "1", "--out", "refused");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("use --outputs every", refused.Stderr);
        var run = CliRunner.Run(_dir.Path, "train", "--cell", "gru", "--hidden", "8", "--outputs", "every", "--data", path,
            "--epochs", "8", "--eta", "0.01", "--batch", "16", "--seed", "3", "--out", "every");
        Assert.True(run.ExitCode == 0, run.Stderr);
        string directory = Directory.GetDirectories(Path.Combine(_dir.Path, "every")).Single();
        Assert.StartsWith("gru-8-sign", Path.GetFileName(directory));
        var summary = File.ReadAllText(Path.Combine(directory, "summary.json"));
        var epochs = System.Text.Json.JsonDocument.Parse(summary).RootElement;
        double accuracy = epochs[epochs.GetArrayLength() - 1].GetProperty("trainAccuracy").GetDouble();
        Assert.True(accuracy > 0.9, $"train accuracy per step {accuracy} (chance 0.5)");
        Assert.Contains("\"outputs\": \"every\"", File.ReadAllText(Path.Combine(directory, "run.json")));

        // Real-valued targets at every step ([N, T, 1]: the running sum) train as regression, with R² per epoch.
        var sums = new double[n * steps];
        for (int e = 0; e < n; e++)
            for (int t = 0; t < steps; t++) sums[e * steps + t] = x[e * steps + t] + (t > 0 ? sums[e * steps + t - 1] : 0);
        string values = Npz("sums.npz", ("x", Npy("<f8", $"({n}, {steps}, 1)", Doubles(x))), ("y", Npy("<f8", $"({n}, {steps}, 1)", Doubles(sums))));
        var regression = CliRunner.Run(_dir.Path, "train", "--cell", "lstm", "--hidden", "8", "--outputs", "every", "--data", values,
            "--epochs", "2", "--batch", "16", "--out", "sums");
        Assert.True(regression.ExitCode == 0, regression.Stderr);
        Assert.Contains("regression", regression.Stdout);
    }

    private static byte[] Doubles(params double[] v) => [.. v.SelectMany(BitConverter.GetBytes)];

    private static byte[] Longs(params long[] v) => [.. v.SelectMany(BitConverter.GetBytes)];

    /// <summary>A .npy as NEP 1 describes it (integers too, which <see cref="IO.Npz.Write"/> does not write).</summary>
    private static byte[] Npy(string descr, string shape, byte[] data)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int unpadded = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        return [0x93, .. Encoding.ASCII.GetBytes("NUMPY"), 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8),
            .. Encoding.ASCII.GetBytes(header), .. data];
    }

    private string Npz(string name, params (string Entry, byte[] Npy)[] entries)
    {
        string path = _dir.File(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, npy) in entries)
        {
            using var s = zip.CreateEntry(entry + ".npy").Open();
            s.Write(npy);
        }
        return path;
    }
}
