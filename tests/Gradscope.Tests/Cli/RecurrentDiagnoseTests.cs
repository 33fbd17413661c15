using System.Text.Json;
using Gradscope.Tests.Data;

namespace Gradscope.Tests.Cli;

/// <summary>The doctor through time, end to end: a recurrent run whose gradient vanishes through time, diagnosed and its remedies run.</summary>
public sealed class RecurrentDiagnoseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DiagnoseVerify_VanishingThroughTime_RunsTheTimeRemediesAndWritesVerification()
    {
        // W_hh at spectral radius 0.3 with tanh: each step scales ∂C/∂h by at most ~0.3, so over 40 steps the first
        // step's gradient is orders of magnitude below the last's.
        var train = CliRunner.Run(_dir.Path, "train", "--cell", "rnn", "--hidden", "16", "--data", "adding", "--length", "40",
            "--recurrent-init", "radius:0.3", "--train-size", "320", "--test-size", "64", "--epochs", "1", "--seed", "4", "--out", "runs");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        string run = Directory.GetDirectories(Path.Combine(_dir.Path, "runs")).Single();

        var diagnose = CliRunner.Run(_dir.Path, "diagnose", run, "--verify", "--verify-examples", "320", "--top", "8");
        Assert.True(diagnose.ExitCode == 0, diagnose.Stderr + diagnose.Stdout);
        Assert.Contains("vanishing through time in layer 1", diagnose.Stdout);
        // The column, or the caption naming it when the terminal is too narrow to show it.
        Assert.Contains("‖∂C/∂h_1‖/‖∂C/∂h_T‖", diagnose.Stdout);
        Assert.Contains("forget-bias: [2,16,1] tanh quadratic standard-uniform bias zero · lstm over 40 steps, W_hh radius:0.3, forget bias 1", diagnose.Stdout);

        string path = Path.Combine(run, "verification.json");
        Assert.True(File.Exists(path), "diagnose --verify wrote no verification.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var baseline = json.RootElement.GetProperty("baseline");
        Assert.Equal("baseline", baseline.GetProperty("name").GetString());
        double before = baseline.GetProperty("timeRatio").GetDouble();
        Assert.True(before < 0.01, $"the unchanged spec's first ÷ last step ratio {before} is not vanishing");
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        // Every remedy the doctor prescribes for vanishing through time ran, with the change its flags name.
        string[] remedies = ["lstm", "gru", "forget-bias", "orthogonal-recurrent", "identity-recurrent"];
        Assert.All(remedies, name => Assert.True(results.ContainsKey(name), $"{name} was not verified: {string.Join(", ", results.Keys)}"));
        foreach (string name in remedies)
        {
            var result = results[name];
            Assert.Equal("complete", result.GetProperty("status").GetString());
            Assert.True(result.GetProperty("timeRatio").GetDouble() > 0, $"{name}: no gradient through time measured");
            Assert.False(string.IsNullOrEmpty(result.GetProperty("verdict").GetString()));
        }
        JsonElement Recurrent(string name) => results[name].GetProperty("spec").GetProperty("network").GetProperty("recurrent");
        Assert.Equal("lstm", Recurrent("lstm").GetProperty("cell").GetString());
        Assert.Equal("gru", Recurrent("gru").GetProperty("cell").GetString());
        Assert.Equal(1.0, Recurrent("forget-bias").GetProperty("forgetBias").GetDouble());
        Assert.Equal("orthogonal", Recurrent("orthogonal-recurrent").GetProperty("init").GetString());
        Assert.Equal(("identity", "relu"), (Recurrent("identity-recurrent").GetProperty("init").GetString(),
            Recurrent("identity-recurrent").GetProperty("nonlinearity").GetString()));
        // An orthogonal W_hh has every singular value 1 (the unchanged one 0.3): the gradient through time vanishes less.
        Assert.True(results["orthogonal-recurrent"].GetProperty("timeRatio").GetDouble() > before,
            $"orthogonal W_hh: first ÷ last {results["orthogonal-recurrent"].GetProperty("timeRatio").GetDouble()} vs {before}");
    }

    [Fact]
    public void Diagnose_LstmVanishingThroughTime_DescribesTheCellAndPrescribesOnlyWhatChangesIt()
    {
        var train = CliRunner.Run(_dir.Path, "train", "--cell", "lstm", "--hidden", "16", "--data", "adding", "--length", "50",
            "--recurrent-init", "radius:0.3", "--train-size", "320", "--test-size", "64", "--epochs", "1", "--seed", "4", "--out", "runs");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        string run = Directory.GetDirectories(Path.Combine(_dir.Path, "runs")).Single();
        using (var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))))
        {
            var first = info.RootElement.GetProperty("layers")[0];
            Assert.Equal("lstm", first.GetProperty("kind").GetString());
            Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], first.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()!));
            Assert.Equal("dense", info.RootElement.GetProperty("layers")[1].GetProperty("kind").GetString());
        }

        var diagnose = CliRunner.Run(_dir.Path, "diagnose", run, "--top", "8");
        Assert.True(diagnose.ExitCode == 0, diagnose.Stderr + diagnose.Stdout);
        Assert.Contains("vanishing through time in layer 1", diagnose.Stdout);
        // An LSTM is not told to become one, nor given the plain RNN's IRNN; a GRU and an orthogonal W_hh still change it.
        Assert.DoesNotContain("# lstm:", diagnose.Stdout);
        Assert.DoesNotContain("# identity-recurrent:", diagnose.Stdout);
        Assert.Contains("# gru:", diagnose.Stdout);
        Assert.Contains("# orthogonal-recurrent:", diagnose.Stdout);
    }
}
