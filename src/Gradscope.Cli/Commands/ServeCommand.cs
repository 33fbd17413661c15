using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Server;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope serve [dir]</c>: the live dashboard over a folder of run directories (<see cref="DashboardServer"/>).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var dirArgument = new Argument<string>("dir") { Description = "Folder of run directories (and sweep folders).", DefaultValueFactory = _ => "runs" };
        var host = new Option<string>("--host") { Description = "Interface to listen on; anything but 127.0.0.1 is reachable from the network, with no authentication.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port; 0 picks a free one.", DefaultValueFactory = _ => 5180 };
        var command = new Command("serve", "Serve a live dashboard of the runs in a folder: run list, run pages, compare view; updates while runs train.");
        command.Arguments.Add(dirArgument);
        command.Options.Add(host);
        command.Options.Add(port);
        command.SetAction(result =>
        {
            string dir = result.GetValue(dirArgument)!;
            string bind = result.GetValue(host)!;
            int number = result.GetValue(port);
            if (!Directory.Exists(dir)) throw new UsageException($"folder '{dir}' does not exist (train a run with --out {dir}, or name another folder).");
            if (number is < 0 or > 65535) throw new UsageException($"Invalid port: {number} (must be 0 to 65535).");
            if (!DashboardServer.IsLoopback(bind))
                Console.Error.WriteLine($"gradscope: warning: listening on {bind}: anyone who can reach this machine can read these runs — the dashboard has no authentication.");
            return Cli.WithCancellation(token => Serve(dir, bind, number, token).GetAwaiter().GetResult());
        });
        return command;
    }

    private static async Task<int> Serve(string dir, string host, int port, CancellationToken token)
    {
        DashboardServer server;
        try
        {
            server = await DashboardServer.StartAsync(dir, host, port, token);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot listen on {host}:{port}: {Output.OneLine(e.Message)}");
        }
        await using (server)
        {
            Output.Line($"serving {server.Root} at {server.Url} (Ctrl+C to stop)");
            await server.WaitAsync(token);
        }
        return ExitCodes.Success;
    }
}
