using System.Globalization;
using System.Text;
using System.Text.Json;
using Gradscope.Server;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Data;

namespace Gradscope.Tests.Views;

/// <summary>
/// A regression run scores R² and RMSE, never accuracy, in every view: <c>train</c>'s output, <c>inspect</c>, the doctor,
/// the report, <c>compare</c> (terminal and page), a sweep (table and page), the dashboard and TensorBoard events.
/// The R² shown is RunView's.
/// </summary>
public sealed class RegressionViewsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteData()
    {
        var rng = new Gradscope.Numerics.Rng(77);
        var csv = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < 300; i++)
        {
            double a = rng.NextNormal(), b = rng.NextNormal(), c = rng.NextNormal();
            csv.Append(CultureInfo.InvariantCulture, $"{a:R},{b:R},{c:R},{2 * a - b + 0.5 * c * c + 0.1 * rng.NextNormal():R}\n");
        }
        File.WriteAllText(_dir.File("reg.csv"), csv.ToString());
        return "reg.csv";
    }

    private static void NoAccuracy(string text, string where) =>
        Assert.False(text.Contains("accuracy", StringComparison.OrdinalIgnoreCase), $"{where} says accuracy for a regression run:\n{text}");

    private string Run(params string[] args)
    {
        var r = CliRunner.Run(_dir.Path, args);
        Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)}: {r.Stderr}{r.Stdout}");
        return r.Stdout;
    }

    [Fact]
    public async Task EveryView_RegressionRun_ShowsRSquaredNotAccuracy()
    {
        string data = WriteData();
        string train = Run("train", "--data", data, "--hidden", "8,8", "--epochs", "3", "--seed", "2", "--out", "runs", "--name", "reg", "--tensorboard", "tb");
        Run("train", "--data", data, "--hidden", "8", "--epochs", "2", "--seed", "2", "--out", "runs", "--name", "small", "--no-report");
        string a = Directory.GetDirectories(_dir.File("runs"), "reg-*").Single(), b = Directory.GetDirectories(_dir.File("runs"), "small-*").Single();
        var view = new RunView(RunRecord.Load(a));
        var other = new RunView(RunRecord.Load(b));
        Assert.True(view.IsRegression && view.HasTest);
        string r2 = RunView.ScoreCell(view.FinalRSquared, regression: true);

        NoAccuracy(train, "train");
        Assert.Contains($"R² {r2}", train.Split('\n').Last(l => l.Contains("epoch 3/3", StringComparison.Ordinal)), StringComparison.Ordinal);
        string inspect = Run("inspect", a);
        NoAccuracy(inspect, "inspect");
        Assert.Equal(r2, ViewText.TerminalRow(inspect, "3")![6]); // epoch 3's test R²
        NoAccuracy(Run("diagnose", a), "diagnose");

        string report = File.ReadAllText(Path.Combine(a, RunFiles.Report));
        NoAccuracy(report, "report.html");
        Assert.Contains("data-figure=\"r-squared\"", report, StringComparison.Ordinal);
        Assert.Contains($"<div class=\"v\">{r2}</div><div class=\"k\">test R² after epoch 3</div>", report, StringComparison.Ordinal);

        string compare = Run("compare", a, b, "--html", "compare.html");
        NoAccuracy(compare, "compare");
        Assert.Equal(["final R²", r2, RunView.ScoreCell(other.FinalRSquared, regression: true)], ViewText.TerminalRow(compare, "final R²"));
        Assert.Equal(["final RMSE", Numbers.Short(view.FinalRmse), Numbers.Short(other.FinalRmse)], ViewText.TerminalRow(compare, "final RMSE"));
        string page = File.ReadAllText(_dir.File("compare.html"));
        NoAccuracy(page, "compare page");
        Assert.Contains($"<td>final R²</td><td>{r2}</td>", page, StringComparison.Ordinal);

        string sweep = Run("sweep", "--data", data, "--hidden", "8", "--eta", "0.1,0.5", "--epochs", "1", "--out", "sweeps");
        NoAccuracy(sweep, "sweep");
        Assert.Contains("final R²", sweep, StringComparison.Ordinal);
        string sweepPage = File.ReadAllText(Path.Combine(Directory.GetDirectories(_dir.File("sweeps")).Single(), RunFiles.Report));
        NoAccuracy(sweepPage, "sweep page");
        Assert.Contains("Final R²", sweepPage, StringComparison.Ordinal);

        var events = File.ReadAllBytes(Directory.GetFiles(_dir.File("tb"), "*tfevents*", SearchOption.AllDirectories).Single());
        string tags = Encoding.Latin1.GetString(events);
        Assert.Contains("r_squared/test", tags, StringComparison.Ordinal);
        Assert.Contains("rmse/train", tags, StringComparison.Ordinal);
        Assert.Contains("cost/test", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("accuracy", tags, StringComparison.Ordinal);

        await using var server = await DashboardServer.StartAsync(_dir.File("runs"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var json = JsonDocument.Parse(await http.GetStringAsync("api/run?id=" + Uri.EscapeDataString(Path.GetFileName(a)))).RootElement;
        Assert.Equal("R²", json.GetProperty("scoreName").GetString());
        Assert.Equal(view.FinalScoreText, json.GetProperty("finalScore").GetString());
        Assert.Equal(view.FinalRSquared, json.GetProperty("epochs")[3].GetProperty("testScore").GetDouble());
        NoAccuracy(await http.GetStringAsync("run?id=" + Uri.EscapeDataString(Path.GetFileName(a))), "dashboard run page");
    }
}
