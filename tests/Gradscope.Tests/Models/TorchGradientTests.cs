using System.Globalization;
using System.Text.Json;
using Gradscope.Data;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Data;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.Models;

/// <summary>
/// PyTorch (float64) as the oracle: a net built and differentiated there, moved here through .npz, must give the same
/// ∂C/∂W^l and ∂C/∂b^l on the same batch to 1e-10 relative, both through the engine and through
/// <c>train --epochs 0</c>'s at-init record.
/// </summary>
public sealed class TorchGradientTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Script = """
        import sys, numpy as np, torch
        torch.manual_seed(7)
        out = sys.argv[1]
        net = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.Tanh(), torch.nn.Linear(7, 6), torch.nn.Tanh(),
                                  torch.nn.Linear(6, 3), torch.nn.Sigmoid()).double()
        x = torch.randn(12, 5, dtype=torch.float64)
        labels = torch.tensor([0, 1, 2] * 4)[torch.randperm(12)]
        y = torch.nn.functional.one_hot(labels, 3).double()
        np.savez(out + "/model.npz", **{k: v.detach().numpy() for k, v in net.state_dict().items()})
        np.savez(out + "/data.npz", x=x.numpy(), y=labels.numpy())
        a = net(x)
        # Gradscope's cross-entropy: C = -(1/n) sum_x sum_j [y ln a + (1 - y) ln(1 - a)]
        cost = -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum(1).mean()
        cost.backward()
        np.savez(out + "/grads.npz", **{k: p.grad.numpy() for k, p in net.named_parameters()})
        print(repr(cost.item()))
        """;

    [TorchFact]
    public void Gradients_PyTorchNetThroughNpz_MatchTo1e10()
    {
        string script = _dir.File("make.py");
        File.WriteAllText(script, Script);
        var (code, stdout, stderr) = External.Run(External.Python, script, _dir.Path);
        Assert.True(code == 0, $"python failed: {stderr}");
        var spec = new NetworkSpec { Activation = "tanh", OutputActivation = "sigmoid", Cost = "cross-entropy" };
        var net = NpzModel.Load<double>(_dir.File("model.npz"), spec);
        var data = FileData.Load(_dir.File("data.npz"), new DataFileOptions { TestFraction = 0 }, keepExact: true).ExactTrain!;
        Assert.Equal(12, data.Count);

        Assert.Equal(double.Parse(stdout.Trim(), CultureInfo.InvariantCulture), TestNets.Cost(net, data), 1e-13);
        var ws = TestNets.Gradients(net, data);
        var torch = Npz.Read(_dir.File("grads.npz")).ToDictionary(a => a.Name, a => a.Array.Values);
        for (int l = 1; l <= net.Depth; l++)
        {
            string module = (2 * (l - 1)).ToString(CultureInfo.InvariantCulture);
            AssertClose(torch[module + ".weight"], ws.WeightGradientOf(l), $"∂C/∂W^{l}");
            AssertClose(torch[module + ".bias"], ws.BiasGradientOf(l), $"∂C/∂b^{l}");
        }

        // The same numbers from the CLI: --epochs 0 measures the at-init record at the given weights on the given data.
        var run = CliRunner.Run(_dir.Path, "train", "--data", "data.npz", "--init-from", "model.npz", "--activation", "tanh",
            "--output-activation", "sigmoid", "--cost", "cross-entropy", "--precision", "float64", "--batch", "12", "--train-size", "12",
            "--test-fraction", "0", "--epochs", "0", "--probes", "standard", "--name", "at-init", "--out", "runs", "--no-report");
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        string dir = Directory.GetDirectories(_dir.File("runs")).Single();
        var records = File.ReadLines(Path.Combine(dir, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        for (int l = 1; l <= net.Depth; l++)
        {
            string module = (2 * (l - 1)).ToString(CultureInfo.InvariantCulture);
            double Recorded(string quantity) => records.Single(r => r.GetProperty("quantity").GetString() == quantity && r.GetProperty("layer").GetInt32() == l).GetProperty("value").GetDouble();
            AssertRelative(Norm(torch[module + ".bias"]), Recorded(Quantity.ReferenceBiasGradNorm), $"‖∂C/∂b^{l}‖ recorded");
            AssertRelative(Norm(torch[module + ".weight"]), Recorded(Quantity.ReferenceWeightGradNorm), $"‖∂C/∂W^{l}‖ recorded");
        }
        Assert.True(File.Exists(Path.Combine(dir, "model.gsm")));
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double diff = 0;
        for (int i = 0; i < expected.Length; i++) diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
        double relative = Math.Sqrt(diff) / Norm(expected);
        Assert.True(relative <= 1e-10, $"{what}: relative error {relative:e2} against PyTorch");
    }

    private static void AssertRelative(double expected, double actual, string what)
    {
        double relative = Math.Abs(expected - actual) / Math.Abs(expected);
        Assert.True(relative <= 1e-10, $"{what}: {actual:R} vs PyTorch {expected:R} (relative {relative:e2})");
    }
}
