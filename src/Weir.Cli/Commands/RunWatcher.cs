using System.Globalization;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;

namespace Weir.Cli.Commands;

/// <summary>Follows a flow run: its state changes and log lines, until it ends. Exit 0 when it Completed.</summary>
internal static class RunWatcher
{
    public static async Task<int> WatchAsync(WeirClient client, Guid id, CancellationToken cancellationToken)
    {
        long after = 0;
        var statesShown = 0;
        var taskKeys = new Dictionary<Guid, string>();
        while (true)
        {
            var run = await client.GetRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new CliError($"Flow run {id} disappeared.");
            var logs = await client.LogsAsync(id, after, 1000, cancellationToken).ConfigureAwait(false);
            if (logs.Any(l => l.TaskRunId is { } t && !taskKeys.ContainsKey(t)))
            {
                foreach (var task in await client.TaskRunsAsync(id, cancellationToken).ConfigureAwait(false))
                {
                    taskKeys[task.Id] = task.TaskKey;
                }
            }

            foreach (var log in logs)
            {
                var who = log.TaskRunId is { } t ? $"Task run '{(taskKeys.TryGetValue(t, out var key) ? key : t.ToString())}'" : "Flow run";
                var color = log.Level switch { "WARNING" => "yellow", "ERROR" or "CRITICAL" => "red", _ => "blue" };
                Terminal.Out.MarkupLine($"[grey]{Terminal.Clock(log.Time)}[/] | [{color}]{log.Level,-7}[/] | {Markup.Escape(who)} - {Markup.Escape(log.Message)}");
                after = log.Id;
            }

            // Every state from the run's history, so quick runs show Running too.
            var history = await client.RunHistoryAsync(id, cancellationToken).ConfigureAwait(false);
            foreach (var state in history.Skip(statesShown))
            {
                Terminal.Out.MarkupLine($"[grey]{Terminal.Clock(state.Time)}[/] | [bold]STATE[/]   | Flow run {run.ShortId} - {state.Type}{(state.Message is null ? string.Empty : ": " + Markup.Escape(state.Message))}");
            }

            statesShown = history.Count;

            if (run.State.IsTerminal() && logs.Count == 0)
            {
                var code = run.Commit is { Length: >= 12 } commit ? $", commit {commit[..12]}" : run.ManifestHash is { Length: >= 12 } manifest ? $", manifest {manifest[..12]}" : string.Empty;
                if (run.DriftWarning is { } drift)
                {
                    Terminal.Out.MarkupLine("[yellow]" + Markup.Escape(drift) + "[/]");
                }

                var seconds = (run.StateTime - run.Created).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                Terminal.Out.MarkupLine($"Flow run {run.ShortId} ended [bold]{run.State}[/] after {seconds} s (run by {Markup.Escape(run.Worker ?? "no worker")}{code}).");
                return run.State == StateType.Completed ? ExitCodes.Success : ExitCodes.RunFailed;
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }
}
