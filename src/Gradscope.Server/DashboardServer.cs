using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gradscope.Server;

/// <summary>
/// <c>gradscope serve</c>: a live dashboard over a folder of run directories, bound to loopback unless a host is
/// asked for. Port 0 picks a free port; <see cref="Url"/> says which.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private DashboardServer(WebApplication app) => _app = app;

    /// <summary>The address to open, e.g. http://127.0.0.1:5180/ (known once started).</summary>
    public string Url { get; private set; } = "";

    /// <summary>The folder served.</summary>
    public required string Root { get; init; }

    /// <summary>Whether a host is the loopback interface (127.0.0.1, ::1, localhost): anything else is reachable from the network.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    public static async Task<DashboardServer> StartAsync(string root, string host = "127.0.0.1", int port = 0, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(host);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Folder '{root}' does not exist.");
        if (port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, $"Invalid port: {port} (must be 0 to 65535).");
        if (!IsLoopback(host) && !IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) == UriHostNameType.Unknown)
            throw new ArgumentException($"Invalid host: '{host}'.", nameof(host));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            // Requests are small: a huge query is refused by the server before any handler reads it.
            k.Limits.MaxRequestLineSize = 8 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Limits.MaxRequestBodySize = 0;
            k.AddServerHeader = false;
        });
        string bind = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        builder.WebHost.UseUrls($"http://{bind}:{port}");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new DashboardServer(app) { Root = Path.GetFullPath(root) };
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Cache-Control"] = "no-store";
            await next(context);
        });
        DashboardApi.Map(app, new RunCatalog(root), server._stopping.Token);
        await app.StartAsync(cancellation);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.TrimEnd('/') + "/";
        return server;
    }

    /// <summary>Runs until <paramref name="cancellation"/> fires (Ctrl+C), then stops.</summary>
    public async Task WaitAsync(CancellationToken cancellation)
    {
        try { await Task.Delay(Timeout.Infinite, cancellation); }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync(); // ends the event streams first, so stopping does not wait on them
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
