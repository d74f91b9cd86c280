using System.CommandLine;
using Microsoft.Extensions.Logging;
using Weir.Server;

namespace Weir.Cli.Commands;

/// <summary><c>weir server start</c>.</summary>
internal static class ServerCommands
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Address to listen on. Without WEIR_API_KEY only 127.0.0.1 is allowed.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 4200 };
        var start = new Command("start", "Start the Weir server (SQLite under WEIR_HOME).") { host, port };
        CliAction.Set(start, async (parse, cancellationToken) =>
        {
            await using var server = await WeirServer.StartAsync(new WeirServerOptions { Host = parse.GetValue(host)!, Port = parse.GetValue(port) },
                logging => logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(LogLevel.Information)
                    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning),
                cancellationToken).ConfigureAwait(false);
            // Ends on Ctrl+C or SIGTERM, whichever of the host or the command line sees it first.
            try
            {
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return ExitCodes.Success;
        });
        var command = new Command("server", "Run the Weir server.");
        command.Subcommands.Add(start);
        return command;
    }
}
