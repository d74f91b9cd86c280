using System.CommandLine;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;
using Weir.Server.Ui;

namespace Weir.Cli.Commands;

/// <summary><c>weir flow-run ls|inspect|logs|cancel|watch</c> (and the workers' hidden <c>execute</c>).</summary>
internal static class FlowRunCommands
{
    public static Command Create()
    {
        var command = new Command("flow-run", "Inspect, follow and cancel flow runs.");
        command.Subcommands.Add(FlowRunExecuteCommand.Create());
        command.Subcommands.Add(List());

        var json = JsonOutput.Option();
        command.Subcommands.Add(WithRun("inspect", "Show a flow run: its facts, state history and task runs.", async (parse, client, id, cancellationToken) =>
        {
            var run = await client.GetRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new CliError($"There is no flow run {id}.");
            var history = await client.RunHistoryAsync(id, cancellationToken).ConfigureAwait(false);
            var taskRuns = await client.TaskRunsAsync(id, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(new { run, history, taskRuns }, indented: true);
            }

            RunView.Write(Terminal.Out, run, history, taskRuns, TimeProvider.System);
            return ExitCodes.Success;
        }, json));
        command.Subcommands.Add(WithRun("logs", "Print a flow run's logs, each with who wrote it (the task run, or the flow run itself).", async (_, client, id, cancellationToken) =>
        {
            if (await client.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new CliError($"There is no flow run {id}.");
            }

            const int page = 5000;
            long after = 0;
            while (true)
            {
                var logs = await client.LogsAsync(id, after, page, cancellationToken).ConfigureAwait(false);
                foreach (var log in logs)
                {
                    Terminal.Out.MarkupLine(LogLines.Markup(log.Time, log.Level, log.Writer, log.Message));
                    after = log.Id;
                }

                if (logs.Count < page)
                {
                    return ExitCodes.Success;
                }
            }
        }));
        command.Subcommands.Add(WithRun("watch", "Follow a flow run's states and logs until it ends.", (_, client, id, cancellationToken) => RunWatcher.WatchAsync(client, id, cancellationToken)));
        command.Subcommands.Add(WithRun("cancel", "Cancel a flow run: its worker stops the flow's processes.", async (_, client, id, cancellationToken) =>
        {
            var run = await client.CancelAsync(id, cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine($"Flow run {run.ShortId} is {run.State}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List()
    {
        var limit = new Option<int>("--limit") { Description = "How many runs.", DefaultValueFactory = _ => 20 };
        var json = JsonOutput.Option();
        var ls = new Command("ls", "List recent flow runs, newest first.") { limit, json };
        CliAction.Set(ls, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var runs = await client.ListRunsAsync(parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(runs);
            }

            var now = TimeProvider.System.GetUtcNow();
            var table = new Table().AddColumns("Run", "Deployment", "State", "Created", "Duration", "Worker", "Commit");
            foreach (var run in runs)
            {
                var duration = run.StartTime is { } start ? Fmt.Duration((run.State.IsTerminal() ? run.StateTime : now) - start) : string.Empty;
                table.AddRow(run.ShortId, Markup.Escape(run.DeploymentName ?? run.FlowName), Markup.Escape(run.StateName ?? run.State.ToString()),
                    Terminal.When(run.Created, seconds: true), duration, Markup.Escape(run.Worker ?? string.Empty), Fmt.Hash(run.Commit ?? run.ManifestHash));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        return ls;
    }

    private static Command WithRun(string name, string description, Func<ParseResult, WeirClient, Guid, CancellationToken, Task<int>> action, params Option[] options)
    {
        var run = RunIds.Argument();
        var command = new Command(name, description) { run };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var id = await RunIds.ResolveAsync(client, parse.GetValue(run)!, cancellationToken).ConfigureAwait(false);
            return await action(parse, client, id, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
