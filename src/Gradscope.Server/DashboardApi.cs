using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gradscope.Server;

/// <summary>
/// The dashboard's endpoints: the three pages, their assets, JSON for the run list, a run, a series (downsampled in
/// the asked step range), a histogram over time, the gradient through time and a comparison, and Server-Sent Events that say when a run (or the
/// list) changed so the page fetches what is new.
/// </summary>
internal static class DashboardApi
{
    /// <summary>How often a watched run's files are checked: with the writer's own 200 ms this keeps new records under a second from disk to page.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public const int MaxPoints = 20_000;
    public const int MaxCompared = 8;

    public static void Map(IEndpointRouteBuilder app, RunCatalog catalog, CancellationToken stopping)
    {
        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/run", () => Page("run.html"));
        app.MapGet("/compare", () => Page("compare.html"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/assets/{name}", (string name) => Assets.TryGet(name, out var bytes, out var type)
            ? Results.Bytes(bytes, type) : Results.NotFound(new { error = "no such asset" }));

        app.MapGet("/api/runs", () => Results.Json(catalog.Ids().Select(catalog.Find).OfType<LiveRun>().Select(RunJson.ListItem).ToList()));

        app.MapGet("/api/run", (HttpRequest request) =>
        {
            var q = new QueryValues(request);
            string? id = q.Text("id", required: true);
            if (q.Error is { } error) return Bad(error);
            return catalog.Find(id) is { } run ? Results.Json(RunJson.Run(run)) : Unknown(id);
        });

        app.MapGet("/api/series", (HttpRequest request) =>
        {
            var q = new QueryValues(request);
            string? id = q.Text("id", required: true), quantity = q.Text("q", required: true);
            double from = q.Number("from", double.NegativeInfinity), to = q.Number("to", double.PositiveInfinity);
            int points = q.Int("points", 1000, 10, MaxPoints);
            if (q.Error is { } error) return Bad(error);
            if (catalog.Find(id) is not { } run) return Unknown(id);
            lock (run.Gate)
            {
                var view = run.View;
                string name = quantity == "speed" ? view.SpeedQuantity : quantity!;
                var layers = view.Series.Where(s => s.Quantity == name).Select(s => s.Layer).Order()
                    .Select(l => (Layer: l, Series: Downsample.Of(view.Records(name, l), from, to, points)))
                    .Select(x => new { layer = x.Layer, name = x.Layer == 0 ? "network" : view.LayerName(x.Layer), steps = x.Series.Steps, values = x.Series.Values, total = x.Series.Total })
                    .ToList();
                return Results.Json(new { quantity = name, label = RunJson.Label(name), layers, lastStep = view.LastStep, version = run.Version });
            }
        });

        app.MapGet("/api/histogram", (HttpRequest request) =>
        {
            var q = new QueryValues(request);
            string? id = q.Text("id", required: true), quantity = q.Text("q", required: true);
            int layer = q.Int("layer", 1, 0, 100_000), points = q.Int("points", 200, 2, 2000);
            if (q.Error is { } error) return Bad(error);
            if (catalog.Find(id) is not { } run) return Unknown(id);
            lock (run.Gate)
            {
                var records = run.View.Records(quantity!, layer).Where(r => r.Values is { Length: > 0 } && r.Index == 0).ToList();
                var picked = Downsample.Picks(records.Count, points).Select(i => records[i]).ToList();
                return Results.Json(new
                {
                    quantity, layer,
                    edges = Enumerable.Range(0, Histogram.Count).Select(Histogram.LowerEdge),
                    steps = picked.Select(r => r.Step),
                    counts = picked.Select(r => r.Values!.Select(Downsample.Finite)),
                });
            }
        });

        app.MapGet("/api/through-time", (HttpRequest request) =>
        {
            var q = new QueryValues(request);
            string? id = q.Text("id", required: true);
            int layer = q.Int("layer", 1, 0, 100_000), points = q.Int("points", 200, 2, 2000);
            if (q.Error is { } error) return Bad(error);
            if (catalog.Find(id) is not { } run) return Unknown(id);
            lock (run.Gate) return Results.Json(ThroughTime.Of(run.View, layer, points));
        });

        app.MapGet("/api/compare", (HttpRequest request) =>
        {
            var q = new QueryValues(request);
            string? ids = q.Text("ids", required: true), quantity = q.Text("q", required: true);
            int layer = q.Int("layer", 1, 0, 100_000), points = q.Int("points", 2000, 10, MaxPoints);
            if (q.Error is { } error) return Bad(error);
            var names = ids!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length is 0 or > MaxCompared) return Bad($"'ids' must name 1 to {MaxCompared} runs");
            var runs = new List<object>();
            foreach (string id in names)
            {
                if (catalog.Find(id) is not { } run) return Unknown(id);
                lock (run.Gate)
                {
                    var view = run.View;
                    string name = quantity == "speed" ? view.SpeedQuantity : quantity!;
                    var series = Downsample.Of(view.Records(name, layer), double.NegativeInfinity, double.PositiveInfinity, points);
                    var last = view.FinalEpoch;
                    double? stepsPerEpoch = last is { Epoch: > 0 } e ? e.Step / (double)e.Epoch : null;
                    runs.Add(new { id, name = run.Info.Name, quantity = name, label = RunJson.Label(name), layerName = layer == 0 ? "network" : layer <= view.Depth ? view.LayerName(layer) : $"layer {layer}", steps = series.Steps, values = series.Values, stepsPerEpoch });
                }
            }
            return Results.Json(new { runs });
        });

        app.MapGet("/api/events", (HttpRequest request, HttpContext context) =>
        {
            var q = new QueryValues(request);
            string? id = q.Text("id");
            if (q.Error is { } error) return Bad(error);
            var token = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping).Token;
            if (id is null) return TypedResults.ServerSentEvents(ListEvents(catalog, token));
            return catalog.Find(id) is { } run ? TypedResults.ServerSentEvents(RunEvents(run, token)) : Unknown(id);
        });
    }

    private static IResult Page(string name) =>
        Assets.TryGet(name, out var bytes, out var type) ? Results.Bytes(bytes, type) : Results.NotFound();

    private static IResult Bad(string error) => Results.BadRequest(new { error });

    private static IResult Unknown(string? id) => Results.NotFound(new { error = $"no run '{id}' in the served folder" });

    private static async IAsyncEnumerable<SseItem<string>> RunEvents(LiveRun run, [EnumeratorCancellation] CancellationToken token)
    {
        long seen = -1;
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        while (!token.IsCancellationRequested)
        {
            run.Refresh();
            string? data = null;
            lock (run.Gate)
            {
                if (run.Version != seen)
                {
                    seen = run.Version;
                    data = JsonSerializer.Serialize(new { version = run.Version, lastStep = run.View.LastStep, status = run.Info.Status, records = run.RecordCount });
                }
            }
            if (data is not null)
            {
                quiet.Restart();
                yield return new SseItem<string>(data, "update") { ReconnectionInterval = TimeSpan.FromSeconds(1) };
            }
            else if (quiet.Elapsed > TimeSpan.FromSeconds(15))
            {
                quiet.Restart();
                yield return new SseItem<string>("{}", "ping"); // keeps proxies and idle timers from closing the stream
            }
            try { await Task.Delay(PollInterval, token); }
            catch (OperationCanceledException) { yield break; }
        }
    }

    private static async IAsyncEnumerable<SseItem<string>> ListEvents(RunCatalog catalog, [EnumeratorCancellation] CancellationToken token)
    {
        string seen = "";
        while (!token.IsCancellationRequested)
        {
            // The ids and each run's status and step: enough to know the list page should fetch again.
            string now = string.Join(";", catalog.Ids().Select(catalog.Find).OfType<LiveRun>().Select(r => $"{r.Id}:{r.Info.Status}:{r.Version}"));
            if (now != seen)
            {
                seen = now;
                yield return new SseItem<string>(JsonSerializer.Serialize(new { runs = now.Count(c => c == ';') + (now.Length > 0 ? 1 : 0) }), "update") { ReconnectionInterval = TimeSpan.FromSeconds(1) };
            }
            try { await Task.Delay(TimeSpan.FromSeconds(1), token); }
            catch (OperationCanceledException) { yield break; }
        }
    }
}
