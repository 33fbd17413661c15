using System.Net;
using System.Net.Sockets;

namespace Gradscope.Tests.Data;

/// <summary>An HTTP server on loopback that serves the files of one folder: a mirror the tests can reach offline.</summary>
internal sealed class LocalMirror : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;

    public LocalMirror(string root)
    {
        _root = root;
        // Ask the OS for a free port, then hand it to HttpListener (which cannot bind port 0 itself).
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/mnist/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public int Requests { get; private set; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Requests++;
            string path = Path.Combine(_root, Path.GetFileName(context.Request.Url!.AbsolutePath));
            if (File.Exists(path))
            {
                var bytes = await File.ReadAllBytesAsync(path);
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
