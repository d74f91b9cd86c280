using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Weir.Client;

namespace Weir.Worker.Hosting;

/// <summary>
/// Reports what the engine records to the server in batches: states, task runs and logs are queued
/// and sent together every <c>interval</c> (one second by default, as often as Prefect's log batches; sooner when many pile up, and at once when a run ends), never one call per task.
/// <see cref="FlushAsync"/> returns once everything queued has been sent.
/// </summary>
internal sealed class ServerRunSink : IRunSink, IEventBatchSink, IAsyncDisposable
{
    private readonly WeirClient _client;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly ConcurrentQueue<(Action<EventBatch> Add, int Size)> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _queued;
    private long _sent;
    private long _delivered;
    private long _batches;

    /// <summary>
    /// How long events wait for company before they are sent while a run goes on. A short run's events all go in the one
    /// batch its end sends at once (a run of a few hundred milliseconds on a busy machine too: at 200 ms it sometimes
    /// took a second call); a long run's progress reaches the server this often.
    /// </summary>
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest log message sent; longer ones are cut with a note (the server keeps no more).</summary>
    private const int MaxMessage = 64 * 1024;

    private const int MaxBatchCharacters = 2 * 1024 * 1024;

    /// <summary>Creates the sink and starts its sending loop.</summary>
    public ServerRunSink(WeirClient client, TimeSpan? interval = null, ILogger? logger = null)
    {
        _client = client;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _interval = interval ?? DefaultInterval;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>
    /// False for a sink that many runs share (the in-process pool): a run's end sends its events at once, without
    /// the run waiting for the answer, so the ends of runs that finish while a batch is on its way share the next one.
    /// <see cref="DisposeAsync"/> still sends everything. <value>Defaults to true: a run waits until its events are sent.</value>
    /// </summary>
    public bool FlushWaits { get; init; } = true;

    /// <summary>How many events have been queued so far.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>
    /// How many events the server has taken, in queue order. It stops growing once a batch could not be delivered
    /// (the server gone for longer than the retries): what came after is not known to be delivered.
    /// </summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>How many batches (HTTP calls) have been sent.</summary>
    public long BatchesSent => Interlocked.Read(ref _batches);

    /// <inheritdoc />
    public void OnFlowRunState(FlowRunInfo flowRun, State state) =>
        Enqueue(b => b.FlowRunStates.Add(new RunStateEvent(flowRun.Id, state.Type, state.Message, state.Timestamp)));

    /// <inheritdoc />
    public void OnTaskRunCreated(TaskRunInfo taskRun)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in taskRun.Parameters)
        {
            parameters[name] = taskRun.Redact(Describe(value));
        }

        Enqueue(b => b.TaskRuns.Add(new TaskRunDto
        {
            Id = taskRun.Id, FlowRunId = taskRun.FlowRunId, ParentTaskRunId = taskRun.ParentTaskRunId, TaskName = taskRun.TaskName,
            TaskKey = taskRun.TaskKey, Parameters = parameters, StateTime = taskRun.State.Timestamp,
        }));
    }

    /// <inheritdoc />
    public void OnTaskRunState(TaskRunInfo taskRun, State state) =>
        Enqueue(b => b.TaskRunStates.Add(new RunStateEvent(taskRun.Id, state.Type, state.Message, state.Timestamp)));

    /// <inheritdoc />
    public void OnLog(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = record.Message.Length > MaxMessage ? record.Message[..MaxMessage] + $" … ({record.Message.Length - MaxMessage} more characters cut)" : record.Message;
        Enqueue(b => b.Logs.Add(new LogDto(0, record.FlowRunId, record.TaskRunId, record.Timestamp, LogDto.LevelOf(record.Level), record.Source, message)), 200 + message.Length);
    }

    /// <inheritdoc />
    public void Enqueue(EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var log in batch.Logs)
        {
            Enqueue(b => b.Logs.Add(log), 200 + log.Message.Length);
        }

        foreach (var provenance in batch.Provenance)
        {
            Enqueue(b => b.Provenance.Add(provenance));
        }

        foreach (var state in batch.FlowRunStates)
        {
            Enqueue(b => b.FlowRunStates.Add(state));
        }
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (FlushWaits)
        {
            return FlushAndWaitAsync(cancellationToken);
        }

        _wake.Release();
        return ValueTask.CompletedTask;
    }

    private async ValueTask FlushAndWaitAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _queued);
        _wake.Release();
        while (Interlocked.Read(ref _sent) < target && !_loop.IsCompleted)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await FlushAndWaitAsync(CancellationToken.None).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        _wake.Release();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }

    private void Enqueue(Action<EventBatch> add, int size = 300)
    {
        _queue.Enqueue((add, size));
        if (Interlocked.Increment(ref _queued) % 500 == 0)
        {
            _wake.Release();
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested || !_queue.IsEmpty)
        {
            try
            {
                await _wake.WaitAsync(_interval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            // At most 5,000 events or about 2 M characters a call: well under the server's 16 MiB body limit even when escaped.
            var batch = new EventBatch();
            var count = 0;
            var size = 0;
            while (count < 5000 && size < MaxBatchCharacters && _queue.TryDequeue(out var item))
            {
                item.Add(batch);
                size += item.Size;
                count++;
            }

            if (count == 0)
            {
                continue;
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var result = await _client.SendEventsAsync(batch, CancellationToken.None).ConfigureAwait(false);
                    foreach (var refused in result.Refused)
                    {
                        // The server's word stands (e.g. the run was cancelled meanwhile); say so once per refusal.
                        _logger.LogWarning("The server kept its state: {Refused}", refused);
                    }

                    Interlocked.Increment(ref _batches);
                    if (Interlocked.Read(ref _delivered) == Interlocked.Read(ref _sent))
                    {
                        Interlocked.Add(ref _delivered, count);
                    }

                    break;
                }
                catch (HttpRequestException) when (attempt < 5)
                {
                    // The server may be restarting: keep the batch and try again shortly.
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or WeirApiException)
                {
                    _logger.LogError("Could not report {Count} event(s) to {Server}: {Message}", count, _client.BaseUrl, ex.Message);
                    break;
                }
            }

            Interlocked.Add(ref _sent, count);
        }
    }

    private static string? Describe(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Take(20).Select(i => i?.ToString())) + "]",
            _ => value.ToString(),
        };
        return text is { Length: > 200 } ? text[..200] + "…" : text;
    }
}
