using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Weir.Client;

namespace Weir.Worker;

/// <summary>
/// A worker's local record of how its in-process runs ended, written the moment a run's code returns and before
/// its end is reported. The in-process pool shares the worker's process with its runs, so a worker killed
/// (SIGKILL, power loss) between a run's end and the report of that end would leave a run that did its work
/// looking as if it crashed, and the server would run it again. A worker that starts on the same
/// <c>WEIR_HOME</c> sends the ends a dead worker's journal holds (<see cref="ReplayAsync"/>) before the server's
/// crash detector gives up on them; ends the server already has are refused there and change nothing.
/// Each journal is held with an exclusive lock for its writer's lifetime, so a live worker's journal is never replayed.
/// </summary>
internal sealed class RunEndJournal : IDisposable
{
    /// <summary>How many ends a journal keeps before it starts over, once everything before was reported.</summary>
    private const int RotateAfter = 1000;

    private readonly FileStream _file;
    private readonly Lock _gate = new();
    private int _entries;

    private RunEndJournal(FileStream file) => _file = file;

    /// <summary>Opens (creates) this worker process's journal under <paramref name="folder"/>.</summary>
    public static RunEndJournal Open(string folder, string worker)
    {
        Directory.CreateDirectory(folder);
        var name = $"{Sanitize(worker)}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.journal";
        // FileShare.None takes an exclusive lock (flock on Unix) that ends with the process, however it ends.
        return new RunEndJournal(new FileStream(Path.Combine(folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None));
    }

    /// <summary>Records that a run ended in <paramref name="state"/>; written through to the operating system (which keeps it when the process dies).</summary>
    public void Record(Guid flowRunId, State state, bool everythingBeforeReported)
    {
        ArgumentNullException.ThrowIfNull(state);
        var line = Encoding.UTF8.GetBytes(string.Join('\t',
            flowRunId.ToString("N"), state.Type.ToString(), state.Timestamp.ToString("O", CultureInfo.InvariantCulture), Escape(state.Message ?? string.Empty)) + "\n");
        lock (_gate)
        {
            if (_entries >= RotateAfter && everythingBeforeReported)
            {
                _file.SetLength(0);
                _entries = 0;
            }

            _file.Write(line);
            _file.Flush();
            _entries++;
        }
    }

    /// <summary>Closes the journal and removes it: every end it holds was reported.</summary>
    public void Dispose()
    {
        var path = _file.Name;
        _file.Dispose();
        File.Delete(path);
    }

    /// <summary>Sends the ends recorded in the journals of workers that are gone, then removes those journals; returns how many ends it sent.</summary>
    public static async Task<int> ReplayAsync(IWorkerServer server, string folder, ILogger logger, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var sent = 0;
        foreach (var path in Directory.EnumerateFiles(folder, "*.journal"))
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Its worker is alive and holds it.
                continue;
            }

            using (file)
            {
                var batch = new EventBatch();
                var starts = new EventBatch();
                using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (Parse(line) is { } end)
                    {
                        batch.FlowRunStates.Add(end);
                        starts.FlowRunStates.Add(new RunStateEvent(end.RunId, StateType.Running, null, end.Time));
                    }
                }

                if (!batch.IsEmpty)
                {
                    // The in-process pool sends a run's Running state in the batch its end sends, so a worker killed before that
                    // batch left the run Pending on the server, which cannot end a run that never ran: Running first. A run
                    // that already runs or ended refuses it (or skips it) harmlessly; the ends' refusals are the ones counted.
                    await server.ReportAsync(starts, cancellationToken).ConfigureAwait(false);
                    var result = await server.ReportAsync(batch, cancellationToken).ConfigureAwait(false);
                    logger.LogInformation("Reported {Count} run end(s) a stopped worker had recorded in {Journal} ({Refused} the server already had).",
                        batch.FlowRunStates.Count, Path.GetFileName(path), result.Refused.Count);
                    sent += batch.FlowRunStates.Count;
                }
            }

            File.Delete(path);
        }

        return sent;
    }

    private static RunStateEvent? Parse(string line)
    {
        var fields = line.Split('\t');
        return fields.Length == 4
            && Guid.TryParseExact(fields[0], "N", out var id)
            && Enum.TryParse<StateType>(fields[1], out var type)
            && DateTimeOffset.TryParse(fields[2], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
                ? new RunStateEvent(id, type, Unescape(fields[3]), time)
                : null;
    }

    private static string Sanitize(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                result.Append(text[++i] switch { 't' => '\t', 'n' => '\n', var c => c });
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }
}
