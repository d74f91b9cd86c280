using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;

namespace Weir.Cli.Commands;

/// <summary><c>weir flow-run ls|inspect|logs|cancel|watch</c> (and the workers' hidden <c>execute</c>).</summary>
internal static class FlowRunCommands
{
    public static Command Create()
    {
        var command = new Command("flow-run", "Inspect, follow and cancel flow runs.");
        command.Subcommands.Add(FlowRunExecuteCommand.Create());
        command.Subcommands.Add(FlowRunStandbyCommand.Create());

        var limit = new Option<int>("--limit") { Description = "How many runs.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var ls = new Command("ls", "List recent flow runs.") { limit, json };
        CliAction.Set(ls, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var runs = await client.ListRunsAsync(parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Terminal.Out.WriteLine(JsonSerializer.Serialize(runs, ApiJson.Options));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Run", "Deployment", "State", "Created", "Worker", "Commit");
            foreach (var run in runs)
            {
                table.AddRow(run.ShortId, Markup.Escape(run.DeploymentName ?? run.FlowName), run.State.ToString(),
                    Terminal.When(run.Created, seconds: true), Markup.Escape(run.Worker ?? ""), run.Commit?[..Math.Min(12, run.Commit.Length)] ?? "");
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(ls);

        command.Subcommands.Add(WithRun("inspect", "Show a flow run as JSON with its state history and task runs.", async (client, id, cancellationToken) =>
        {
            var run = await client.GetRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new CliError($"There is no flow run {id}.");
            var view = new { run, history = await client.RunHistoryAsync(id, cancellationToken).ConfigureAwait(false), taskRuns = await client.TaskRunsAsync(id, cancellationToken).ConfigureAwait(false) };
            Terminal.Out.WriteLine(JsonSerializer.Serialize(view, new JsonSerializerOptions(ApiJson.Options) { WriteIndented = true }));
            return ExitCodes.Success;
        }));
        command.Subcommands.Add(WithRun("logs", "Print a flow run's logs, each with who wrote it (the task run, or the flow run itself).", async (client, id, cancellationToken) =>
        {
            _ = await client.GetRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new CliError($"There is no flow run {id}.");
            long after = 0;
            while (true)
            {
                var page = await client.LogsAsync(id, after, 5000, cancellationToken).ConfigureAwait(false);
                foreach (var log in page)
                {
                    Terminal.Out.MarkupLine(LogLines.Markup(log.Time, log.Level, log.Writer, log.Message));
                    after = log.Id;
                }

                if (page.Count < 5000)
                {
                    return ExitCodes.Success;
                }
            }
        }));
        command.Subcommands.Add(WithRun("watch", "Follow a flow run's states and logs until it ends.", RunWatcher.WatchAsync));
        command.Subcommands.Add(WithRun("cancel", "Cancel a flow run: its worker stops the flow's processes.", async (client, id, cancellationToken) =>
        {
            var run = await client.CancelAsync(id, cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine($"Flow run {run.ShortId} is {run.State}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command WithRun(string name, string description, Func<WeirClient, Guid, CancellationToken, Task<int>> action)
    {
        var run = RunIds.Argument();
        var command = new Command(name, description) { run };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var id = await RunIds.ResolveAsync(client, parse.GetValue(run)!, cancellationToken).ConfigureAwait(false);
            return await action(client, id, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
