using System.Globalization;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;

namespace Weir.Cli.Commands;

/// <summary>
/// Follows a flow run: its state changes and log lines, in the order they happened, until it ends. Exit 0 when
/// it Completed.
/// </summary>
/// <remarks>
/// States and logs come from two calls, and a batch the flow process sends may land between them: its states
/// in one poll, its logs in the next. So lines wait <see cref="Settle"/> after they were fetched, long enough
/// for a neighbouring poll to bring what belongs before them, and are printed sorted by time.
/// </remarks>
internal static class RunWatcher
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a fetched line waits before it is printed.</summary>
    internal static TimeSpan Settle { get; } = TimeSpan.FromMilliseconds(500);

    public static async Task<int> WatchAsync(WeirClient client, Guid id, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        long after = 0;
        var statesSeen = 0;
        var sequence = 0;
        var waiting = new List<Line>();
        while (true)
        {
            // The run and its states first, then the logs: a batch whose states were read has its logs read too,
            // so a run's end is never printed before its last lines.
            var run = await client.GetRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new CliError($"Flow run {id} disappeared.");
            var history = await client.RunHistoryAsync(id, cancellationToken).ConfigureAwait(false);
            var logs = await client.LogsAsync(id, after, 1000, cancellationToken).ConfigureAwait(false);
            var fetched = clock.GetTimestamp();
            foreach (var state in history.Skip(statesSeen))
            {
                var text = state.Type + (state.Message is null ? string.Empty : ": " + state.Message);
                // At one instant a run starts before what it writes, and ends after it.
                waiting.Add(new Line(state.Time, state.Type.IsTerminal() ? 2 : 0, sequence++, fetched,
                    LogLines.Markup(state.Time, "STATE", $"Flow run {run.ShortId}", text)));
            }

            statesSeen = history.Count;
            foreach (var log in logs)
            {
                waiting.Add(new Line(log.Time, 1, sequence++, fetched, LogLines.Markup(log.Time, log.Level, log.Writer, log.Message)));
                after = log.Id;
            }

            var done = run.State.IsTerminal() && logs.Count == 0;
            var ready = waiting.Where(l => done || clock.GetElapsedTime(l.Fetched) >= Settle).OrderBy(l => l.Time).ThenBy(l => l.Rank).ThenBy(l => l.Sequence).ToList();
            foreach (var line in ready)
            {
                Terminal.Out.MarkupLine(line.Markup);
            }

            var printed = ready.ToHashSet();
            waiting.RemoveAll(printed.Contains);
            if (done)
            {
                var code = run.Commit is { Length: >= 12 } commit ? $", commit {commit[..12]}" : run.ManifestHash is { Length: >= 12 } manifest ? $", manifest {manifest[..12]}" : string.Empty;
                if (run.DriftWarning is { } drift)
                {
                    Terminal.Out.MarkupLine("[yellow]" + Markup.Escape(TerminalText.Escape(drift, keepLineBreaks: true)) + "[/]");
                }

                var seconds = (run.StateTime - run.Created).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                Terminal.Out.MarkupLine($"Flow run {run.ShortId} ended [bold]{run.State}[/] after {seconds} s (run by {Markup.Escape(TerminalText.Escape(run.Worker ?? "no worker"))}{code}).");
                return run.State == StateType.Completed ? ExitCodes.Success : ExitCodes.RunFailed;
            }

            await Task.Delay(s_poll, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Line(DateTimeOffset Time, int Rank, int Sequence, long Fetched, string Markup);
}
