using System.CommandLine;
using Weir.Cli.Output;
using Weir.Compiler;
using Weir.Worker;

namespace Weir.Cli.Commands;

/// <summary><c>weir worker start --pool NAME</c>.</summary>
internal static class WorkerCommands
{
    public static Command Create()
    {
        var pool = new Option<string>("--pool", "-p") { Description = "The work pool to take runs from.", Required = true };
        var limit = new Option<int>("--limit") { Description = "How many runs at once.", DefaultValueFactory = _ => 4 };
        var name = new Option<string?>("--name") { Description = "The worker's name. Defaults to host-pid." };
        var standby = new Option<int>("--standby") { Description = "Flow processes kept started ahead of runs, so a claimed run need not wait for one to start (0: start each on claim).", DefaultValueFactory = _ => 1 };
        var type = new Option<string>("--type") { Description = "process (container comes later).", DefaultValueFactory = _ => "process" };
        var start = new Command("start", "Start a worker: it claims runs of a pool, pulls their code, and runs each in a child process.") { pool, limit, name, standby, type };
        CliAction.Set(start, async (parse, cancellationToken) =>
        {
            if (parse.GetValue(type) != "process")
            {
                throw new CliError($"This worker runs the process type; '{parse.GetValue(type)}' pools are not supported yet.");
            }

            var home = FlowCompilerOptions.DefaultWeirHome();
            // A worker outlives server restarts and database outages: its calls wait them out.
            using var client = ServerApi.Client();
            client.RetryUnavailable = TimeSpan.FromMinutes(2);
            var options = new WorkerOptions
            {
                Pool = parse.GetValue(pool)!,
                Limit = Math.Max(1, parse.GetValue(limit)),
                Name = parse.GetValue(name) ?? $"{Environment.MachineName}-{Environment.ProcessId}",
                WeirHome = home,
                Standby = Math.Max(0, parse.GetValue(standby)),
            };
            await new Worker.Worker(new HttpWorkerServer(client, home), options, new TerminalLogger(parse.GetValue(GlobalOptions.Verbose))).RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        var command = new Command("worker", "Run a worker.");
        command.Subcommands.Add(start);
        return command;
    }
}
