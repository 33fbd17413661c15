using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gradscope.Server;
using Gradscope.Tests.Data;
using Gradscope.Tests.Reports;

namespace Gradscope.Tests.Server;

/// <summary>The dashboard over HTTP: what it serves, what it refuses, how fast a big run opens and how soon new records show.</summary>
[Collection(ReportsCollection.Name)]
public sealed class DashboardApiTests(SampleRuns runs)
{
    [Fact]
    public async Task Api_ListsRunsAndSweepsAndReadsNumbersThroughRunView()
    {
        await using var server = await DashboardServer.StartAsync(runs.Root);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        Assert.StartsWith("http://127.0.0.1:", server.Url, StringComparison.Ordinal);
        var list = JsonDocument.Parse(await http.GetStringAsync("api/runs")).RootElement;
        var ids = list.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains("full", ids);
        Assert.Contains("sweep/tanh-eta0.1", ids);
        var full = JsonDocument.Parse(await http.GetStringAsync("api/run?id=full")).RootElement;
        var view = new RunView(RunRecord.Load(runs.Full));
        Assert.Equal(view.Ratio(atEnd: true).ToString(), full.GetProperty("ratioEnd").GetString());
        Assert.Equal(Numbers.Short(view.Speed(1, atEnd: false)), full.GetProperty("rows")[0].GetProperty("speedInit").GetString());
        var series = JsonDocument.Parse(await http.GetStringAsync("api/series?id=full&q=speed&points=20000")).RootElement;
        var layer1 = series.GetProperty("layers").EnumerateArray().First(l => l.GetProperty("layer").GetInt32() == 1);
        Assert.Equal(view.Records(view.SpeedQuantity, 1).Select(r => r.Value), layer1.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        foreach (string page in new[] { "", "run?id=full", "compare?ids=full,minimal", "assets/uPlot.iife.min.js", "assets/uPlot.LICENSE.txt", "assets/app.js" })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(page)).StatusCode);
        Assert.DoesNotContain("http", await http.GetStringAsync("assets/app.css"), StringComparison.Ordinal); // nothing fetched from elsewhere
    }

    [Theory]
    [InlineData("api/run?id=nope", HttpStatusCode.NotFound)]
    [InlineData("api/run?id=../etc", HttpStatusCode.NotFound)]
    [InlineData("api/run?id=..%2F..%2Fetc%2Fpasswd", HttpStatusCode.NotFound)]
    [InlineData("api/run?id=%2Fetc", HttpStatusCode.NotFound)]
    [InlineData("api/run", HttpStatusCode.BadRequest)]
    [InlineData("api/series?id=full&q=speed&points=999999999999", HttpStatusCode.BadRequest)]
    [InlineData("api/series?id=full&q=speed&from=1e400", HttpStatusCode.BadRequest)]
    [InlineData("api/histogram?id=full&q=weight_grad_histogram&layer=-1", HttpStatusCode.BadRequest)]
    [InlineData("api/compare?ids=full,../minimal&q=speed", HttpStatusCode.NotFound)]
    [InlineData("assets/..%2F..%2FRunCatalog.cs", HttpStatusCode.NotFound)]
    [InlineData("assets/%2E%2E%2Fgradscope.deps.json", HttpStatusCode.NotFound)]
    [InlineData("../../../etc/passwd", HttpStatusCode.NotFound)]
    public async Task BadRequests_Get4xx_NeverAFileOutsideTheFolder(string url, HttpStatusCode expected)
    {
        await using var server = await DashboardServer.StartAsync(runs.Root);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var response = await http.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeQuery_IsRefusedWith4xx()
    {
        await using var server = await DashboardServer.StartAsync(runs.Root);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var response = await http.GetAsync("api/series?id=full&q=" + new string('x', 20_000));
        Assert.InRange((int)response.StatusCode, 400, 499);
        response = await http.GetAsync("api/series?id=full&q=" + new string('x', 2000));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task MillionRecordRun_OpensWholeAndSeriesAreDownsampled()
    {
        using var temp = new TempDirectory();
        string dir = Path.Combine(temp.Path, "big");
        var layers = Enumerable.Range(1, 5).Select(l => new LayerDescriptor { Index = l, Units = 30, Activation = "sigmoid" }).ToList();
        using (var writer = RunWriter.Create(dir, new RunInfo { Name = "big", Layers = layers, Data = new DataInfo("synthetic", 1, 0, 1) }))
        {
            var batch = new MetricRecord[20];
            string[] quantities = [Quantity.BiasGradNorm, Quantity.Gain, Quantity.DeltaNorm, Quantity.WeightGradNorm];
            for (int step = 0; step < 50_000; step++)
            {
                int n = 0;
                foreach (string q in quantities)
                    for (int l = 1; l <= 5; l++) batch[n++] = new MetricRecord(step, step / 500, l, q, Math.Exp(-l - step * 1e-5) * (1 + 0.1 * Math.Sin(step)));
                writer.AddRange(batch);
            }
            writer.Complete(RunStatus.Complete);
        }
        await using var server = await DashboardServer.StartAsync(temp.Path);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var clock = Stopwatch.StartNew();
        var run = JsonDocument.Parse(await http.GetStringAsync("api/run?id=big")).RootElement;
        var speed = JsonDocument.Parse(await http.GetStringAsync("api/series?id=big&q=speed&points=1000")).RootElement;
        var gain = JsonDocument.Parse(await http.GetStringAsync("api/series?id=big&q=gain&points=1000")).RootElement;
        double opened = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"a run of 1,000,000 records opened in {opened:0.00} s (load per core {LoadPerCore():0.0})");
        Assert.Equal(1_000_000, run.GetProperty("records").GetInt64());
        Assert.True(speed.GetProperty("layers")[0].GetProperty("values").GetArrayLength() <= 1000);
        Assert.Equal(50_000, gain.GetProperty("layers")[0].GetProperty("total").GetInt32());
        // Zoomed in: full resolution in the range.
        var zoomed = JsonDocument.Parse(await http.GetStringAsync("api/series?id=big&q=speed&points=1000&from=1000&to=1199")).RootElement;
        Assert.Equal(200, zoomed.GetProperty("layers")[0].GetProperty("values").GetArrayLength());
        // The time to open is printed, not asserted: speed targets are benchmarks' business (bench open, before and after
        // in one run; docs/run-record.md), and a wall-clock bound in a unit test fails on a busy runner.
    }

    [Fact]
    public async Task NewRecords_ReachTheEventStreamWithinASecond()
    {
        using var temp = new TempDirectory();
        string dir = Path.Combine(temp.Path, "live");
        var layers = Enumerable.Range(1, 3).Select(l => new LayerDescriptor { Index = l, Units = 8 }).ToList();
        using var writer = RunWriter.Create(dir, new RunInfo { Name = "live", Layers = layers, Data = new DataInfo("synthetic", 1, 0, 1) });
        writer.Add(new MetricRecord(0, 0, 1, Quantity.BiasGradNorm, 1));
        await using var server = await DashboardServer.StartAsync(temp.Path);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };
        using var stream = new StreamReader(await http.GetStreamAsync("api/events?id=live"));
        var latencies = new List<double>();
        await NextUpdate(stream);
        for (int i = 1; i <= 3; i++)
        {
            var clock = Stopwatch.StartNew();
            writer.Add(new MetricRecord(i, 0, 1, Quantity.BiasGradNorm, 1.0 / (i + 1)));
            string update = await NextUpdate(stream);
            latencies.Add(clock.Elapsed.TotalSeconds);
            Assert.Equal(i, JsonDocument.Parse(update).RootElement.GetProperty("lastStep").GetInt64());
        }
        Console.WriteLine($"record written → event received: {string.Join(", ", latencies.Select(l => $"{l * 1000:0} ms"))}");
        Assert.All(latencies, l => Assert.True(l < 1.0, $"an update took {l:0.00} s"));
    }

    /// <summary>The 1-minute load average per core from /proc/loadavg (1 where it cannot be read).</summary>
    private static double LoadPerCore()
    {
        try
        {
            string first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture) / Environment.ProcessorCount;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 1;
        }
    }

    private static async Task<string> NextUpdate(StreamReader stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        bool update = false;
        while (await stream.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == "event: update") update = true;
            else if (update && line.StartsWith("data: ", StringComparison.Ordinal)) return line["data: ".Length..];
        }
        throw new EndOfStreamException();
    }
}
