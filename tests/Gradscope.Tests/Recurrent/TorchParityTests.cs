using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gradscope.Model;
using Gradscope.Tests.Support;

namespace Gradscope.Tests.Recurrent;

/// <summary>
/// Our recurrent layers against PyTorch's nn.RNN/LSTM/GRU in float64 on the same weights and batch: the network's
/// outputs, its cost and the gradient of every parameter agree to 1e−10 relative. This is what lets a PyTorch
/// state_dict load into our layers unchanged.
/// </summary>
public sealed class TorchParityTests
{
    private const string Script = """
        import json, sys, torch
        torch.set_default_dtype(torch.float64)
        s = json.load(sys.stdin)
        I, H, L, T, O, m = s["inputs"], s["hidden"], s["stacked"], s["steps"], s["outputs"], s["count"]
        kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[s["cell"]]
        extra = {"nonlinearity": s["nonlinearity"]} if s["cell"] == "rnn" else {}
        rnn = kind(I, H, num_layers=L, batch_first=True, **extra)
        head = torch.nn.Linear(H, O)
        p = s["params"]
        with torch.no_grad():
            for l in range(L):
                for ours, theirs in (("W_ih", "weight_ih"), ("W_hh", "weight_hh"), ("b_ih", "bias_ih"), ("b_hh", "bias_hh")):
                    t = getattr(rnn, f"{theirs}_l{l}")
                    t.copy_(torch.tensor(p[f"{ours}^{l + 1}"]).reshape(t.shape))
            head.weight.copy_(torch.tensor(p[f"W^{L + 1}"]).reshape(O, H))
            head.bias.copy_(torch.tensor(p[f"b^{L + 1}"]))
        x = torch.tensor(s["x"]).reshape(m, T, I)
        every = s["every"]
        y = torch.tensor(s["y"]).reshape(m, T, O) if every else torch.tensor(s["y"]).reshape(m, O)
        out, _ = rnn(x)
        z = head(out) if every else head(out[:, -1])
        if s["cost"] == "quadratic":
            a = z
            cost = 0.5 * ((a - y) ** 2).sum() / m
        else:
            a = torch.softmax(z, dim=-1)
            cost = -(y * torch.log_softmax(z, dim=-1)).sum() / m
        cost.backward()
        grads = {}
        for l in range(L):
            for ours, theirs in (("W_ih", "weight_ih"), ("W_hh", "weight_hh"), ("b_ih", "bias_ih"), ("b_hh", "bias_hh")):
                grads[f"{ours}^{l + 1}"] = getattr(rnn, f"{theirs}_l{l}").grad.reshape(-1).tolist()
        grads[f"W^{L + 1}"] = head.weight.grad.reshape(-1).tolist()
        grads[f"b^{L + 1}"] = head.bias.grad.reshape(-1).tolist()
        json.dump({"outputs": a.detach().reshape(-1).tolist(), "cost": cost.item(), "grads": grads}, sys.stdout)
        """;

    public static TheoryData<string, string, string, int> Cases() => new()
    {
        { "rnn", "tanh", "quadratic", 1 },
        { "rnn", "relu", "log-likelihood", 2 },
        { "lstm", "tanh", "quadratic", 1 },
        { "lstm", "tanh", "log-likelihood", 2 },
        { "gru", "tanh", "quadratic", 1 },
        { "gru", "tanh", "log-likelihood", 2 },
    };

    [TorchTheory]
    [MemberData(nameof(Cases))]
    public void ForwardBackward_SameWeightsAndBatch_MatchPyTorchFloat64(string cell, string nonlinearity, string cost, int stacked) =>
        Compare(cell, nonlinearity, cost, stacked, every: false);

    /// <summary>
    /// Sequence labelling: PyTorch's <c>Linear</c> applied to the whole output sequence, the cost summed over steps and
    /// outputs and averaged over the batch, against our read-out at every step.
    /// </summary>
    [TorchTheory]
    [MemberData(nameof(Cases))]
    public void ForwardBackward_OutputsAtEveryStep_MatchPyTorchFloat64(string cell, string nonlinearity, string cost, int stacked) =>
        Compare(cell, nonlinearity, cost, stacked, every: true);

    private static void Compare(string cell, string nonlinearity, string cost, int stacked, bool every)
    {
        Assert.True(TorchOracle.WhyMissing is null, $"CI is set but the PyTorch oracle is missing: {TorchOracle.WhyMissing}");
        const int inputs = 3, hidden = 5, outputs = 4, steps = 7, count = 4;
        var spec = every
            ? SequenceLabellingTests.Spec(cell, nonlinearity, cost, stacked, inputs, hidden, outputs, steps)
            : RecurrentGradientTests.Spec(cell, nonlinearity, cost, stacked, inputs, hidden, outputs, steps);
        var network = Network<double>.Create(spec, seed: 21);
        foreach (var p in network.Parameters)
            for (int i = 0; i < p.Values.Length; i++) p.Values[i] *= 2; // gates away from their linear middle
        var data = every
            ? SequenceLabellingTests.StepData(count, steps, inputs, outputs, oneHot: cost != "quadratic", seed: 17)
            : TestNets.RandomData(count, steps * inputs, outputs, oneHot: cost != "quadratic", seed: 17);
        var ws = TestNets.Gradients(network, data);
        double ours = Training.Backprop.BatchCost(network, ws, count);

        var request = new JsonObject
        {
            ["cell"] = cell, ["nonlinearity"] = nonlinearity, ["cost"] = cost, ["inputs"] = inputs, ["hidden"] = hidden,
            ["stacked"] = stacked, ["steps"] = steps, ["outputs"] = outputs, ["count"] = count, ["every"] = every,
            ["x"] = Array(data.Inputs), ["y"] = Array(data.Targets),
            ["params"] = new JsonObject(network.Parameters.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Array(p.Values)))),
        };
        var (code, output, error) = TorchOracle.Run(["-c", Script], request.ToJsonString());
        Assert.True(code == 0, $"the PyTorch oracle failed: {error}");
        var reply = JsonNode.Parse(output)!;

        AssertClose(reply["outputs"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray(), ws.Output(count).ToArray(), "outputs");
        AssertClose([reply["cost"]!.GetValue<double>()], [ours], "cost");
        foreach (var p in network.Parameters)
            AssertClose(reply["grads"]![p.Name]!.AsArray().Select(v => v!.GetValue<double>()).ToArray(), ws.GradientOf(p).ToArray(), $"∂C/∂{p.Name}");
    }

    private static JsonArray Array(ReadOnlySpan<double> values)
    {
        var array = new JsonArray();
        foreach (double v in values) array.Add(v);
        return array;
    }

    /// <summary>‖ours − theirs‖ / ‖theirs‖ ≤ 1e−10.</summary>
    private static void AssertClose(double[] theirs, double[] ours, string what)
    {
        Assert.Equal(theirs.Length, ours.Length);
        double diff = 0, norm = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            diff += (ours[i] - theirs[i]) * (ours[i] - theirs[i]);
            norm += theirs[i] * theirs[i];
        }
        double relative = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-300);
        Assert.True(relative <= 1e-10, $"{what}: relative difference {relative.ToString("E2", CultureInfo.InvariantCulture)} from PyTorch");
    }
}
