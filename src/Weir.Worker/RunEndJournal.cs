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
    /// <summary>How many ends a journal file holds before the journal goes on in a new file.</summary>
    internal const int RotateAfter = 1000;

    private readonly string _folder;
    private readonly string _name;
    private readonly Func<long>? _queued;
    private readonly Func<long>? _sent;
    private readonly Lock _gate = new();

    /// <summary>Full files not yet removed, each with how many events the sink had queued when it was full.</summary>
    private readonly Queue<(FileStream File, long Queued)> _full = new();
    private FileStream _file;
    private int _entries;
    private int _generation;

    private RunEndJournal(string folder, string name, Func<long>? queued, Func<long>? sent)
    {
        _folder = folder;
        _name = name;
        _queued = queued;
        _sent = sent;
        _file = Create();
    }

    /// <summary>
    /// Opens (creates) this worker process's journal under <paramref name="folder"/>. <paramref name="queued"/> and
    /// <paramref name="sent"/> count the events the worker's sink has queued and sent: a run's end is queued before it is
    /// recorded here, so a full file whose last end was queued by event number N may go once N events are sent. Without
    /// them (a sink that reports at once) a full file goes at once.
    /// </summary>
    public static RunEndJournal Open(string folder, string worker, Func<long>? queued = null, Func<long>? sent = null)
    {
        Directory.CreateDirectory(folder);
        return new RunEndJournal(folder, $"{Sanitize(worker)}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}", queued, sent);
    }

    /// <summary>How many journal files this worker holds now (the current one and full ones with ends not yet reported).</summary>
    internal int Files
    {
        get
        {
            lock (_gate)
            {
                return _full.Count + 1;
            }
        }
    }

    /// <summary>Records that a run ended in <paramref name="state"/> (its end already queued for the server); written through to the operating system (which keeps it when the process dies).</summary>
    public void Record(Guid flowRunId, State state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var line = Encoding.UTF8.GetBytes(string.Join('\t',
            flowRunId.ToString("N"), state.Type.ToString(), state.Timestamp.ToString("O", CultureInfo.InvariantCulture), Escape(state.Message ?? string.Empty)) + "\n");
        lock (_gate)
        {
            _file.Write(line);
            _file.Flush();
            if (++_entries >= RotateAfter)
            {
                // Every end in this file was queued before it was written here: the file is spent once the sink has sent that many events.
                _full.Enqueue((_file, _queued?.Invoke() ?? 0));
                _file = Create();
                _entries = 0;
            }

            var sent = _sent?.Invoke() ?? long.MaxValue;
            while (_full.TryPeek(out var full) && full.Queued <= sent)
            {
                Remove(_full.Dequeue().File);
            }
        }
    }

    /// <summary>Closes the journal and removes its files: every end it holds was reported.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            while (_full.TryDequeue(out var full))
            {
                Remove(full.File);
            }

            Remove(_file);
        }
    }

    /// <summary>Closes the journal and leaves its files (some ends may not have been reported): the next worker on this <c>WEIR_HOME</c> reports them.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            while (_full.TryDequeue(out var full))
            {
                full.File.Dispose();
            }

            _file.Dispose();
        }
    }

    // FileShare.None takes an exclusive lock (flock on Unix) that ends with the process, however it ends.
    private FileStream Create() =>
        new(Path.Combine(_folder, $"{_name}-{_generation++}.journal"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None);

    private static void Remove(FileStream file)
    {
        var path = file.Name;
        file.Dispose();
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
                    EventBatchResult result;
                    try
                    {
                        // The replaying worker reports with its own key. The server takes a run's writes from the worker key that
                        // claimed it (a key is one worker to the server, whatever names its processes go by), so a worker of the
                        // same key reports a dead one's ends; a journal is one process's, so of one key.
                        // The in-process pool sends a run's Running state in the batch its end sends, so a worker killed before that
                        // batch left the run Pending on the server, which cannot end a run that never ran: Running first. A run
                        // that already runs or ended refuses it (or skips it) harmlessly; the ends' refusals are the ones counted.
                        await server.ReportAsync(starts, cancellationToken).ConfigureAwait(false);
                        result = await server.ReportAsync(batch, cancellationToken).ConfigureAwait(false);
                    }
                    catch (WeirApiException ex) when (ex.Status == 403)
                    {
                        // Another key's journal (two keys on one WEIR_HOME), or runs claimed again since: only their own worker may
                        // report them, and the crash detector re-runs them when it does not. Keeping the journal would only refuse again.
                        logger.LogWarning("The run ends a stopped worker recorded in {Journal} are not this worker's to report ({Message}); the journal is removed, and the server's crash detector handles those runs.",
                            Path.GetFileName(path), ex.Message);
                        file.Close();
                        File.Delete(path);
                        continue;
                    }

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
