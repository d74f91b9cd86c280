using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Worker.Launchers;

namespace Weir.Worker;

/// <summary>
/// Polls one work pool and runs what it claims through an <see cref="IFlowLauncher"/> (a child
/// process by default, or a container), heart-beats, stops a run when the server asks for
/// cancellation, and marks a run Crashed when its process or container dies. The flow reports
/// its own states and logs. At most <see cref="WorkerOptions.Limit"/> runs at once.
/// </summary>
public sealed class Worker(IWorkerServer server, WorkerOptions options, IFlowLauncher? launcher = null)
{
    private readonly ILogger logger = options.LoggerFactory.CreateLogger("Weir.Worker");

    /// <summary>The most runs one claim asks for.</summary>
    private const int MaxClaimBatch = 32;

    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _active = new();

    /// <summary>Cancelled when the runs still going are to be stopped: the worker's drain is over (or there was none).</summary>
    private readonly CancellationTokenSource _drainOver = new();

    /// <summary>
    /// Runs until <paramref name="stop"/> is cancelled, or until the launcher needs a fresh process
    /// (<see cref="IFlowLauncher.NeedsRestart"/>). Either way it stops claiming and gives back the runs it claimed but has
    /// not started (Scheduled again, no retry used). Told to stop, it waits up to <see cref="WorkerOptions.DrainTimeout"/>
    /// for the runs going to end, then stops them: they are marked Crashed with a message naming the worker, which the
    /// server re-schedules when their retries allow. For a restart it lets them end and returns <see cref="WorkerStop.Restart"/>.
    /// </summary>
    public async Task<WorkerStop> RunAsync(CancellationToken stop)
    {
        using var ownLauncher = launcher is null ? new ProcessFlowLauncher(server, options) : null;
        var flowLauncher = launcher ?? ownLauncher!;
        // The in-process pool runs are so cheap that a claim per freed slot would cost more than the runs:
        // it holds a few claimed runs ready, so one claim serves several.
        var prefetch = options.Prefetch ?? (flowLauncher.PoolType == WorkPoolTypes.InProcess ? options.Limit : 0);
        var capacity = options.Limit + Math.Max(0, prefetch);
        var batch = Math.Max(1, Math.Min(capacity / 2, MaxClaimBatch));
        using var slots = new SemaphoreSlim(options.Limit);
        using var room = new SemaphoreSlim(0);
        var ready = System.Threading.Channels.Channel.CreateUnbounded<Held>();
        var running = new ConcurrentDictionary<Task, bool>();
        var held = 0;
        // Heart-beats go on while the runs drain: a silent worker's runs would be taken for crashed and run again.
        using var beats = new CancellationTokenSource();
        var heartbeat = HeartbeatLoopAsync(flowLauncher, beats.Token);
        logger.LogInformation("Worker {Worker} started: {Type} pool '{Pool}', up to {Limit} runs at once.", options.Name, flowLauncher.PoolType, options.Pool, options.Limit);
        var sweep = Task.Run(() => RunFolderSweeper.SweepAsync(server, new WorkerPaths(options.WeirHome).Runs, logger, stop), CancellationToken.None);
        await ReplayJournalsAsync(stop).ConfigureAwait(false);
        using var claiming = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var executor = Task.Run(() => ExecuteReadyAsync(flowLauncher, ready.Reader, slots, running, () =>
        {
            Interlocked.Decrement(ref held);
            room.Release();
        }, claiming.Token), CancellationToken.None);

        await AdoptAsync(flowLauncher, slots, running, () =>
        {
            Interlocked.Decrement(ref held);
            room.Release();
        }, () => Interlocked.Increment(ref held), stop).ConfigureAwait(false);

        var restart = false;
        string? refusal = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (flowLauncher.NeedsRestart)
                {
                    restart = true;
                    logger.LogWarning("Worker {Worker}: too much abandoned flow code is still running in this process; it stops claiming, lets its {Count} run(s) end, and restarts.", options.Name, running.Count);
                    break;
                }

                // Claim when idle, or once there is room for a batch: one request for several runs, not one per freed slot.
                var free = capacity - Volatile.Read(ref held);
                if (free <= 0 || (Volatile.Read(ref held) > 0 && free < batch))
                {
                    await room.WaitAsync(stop).ConfigureAwait(false);
                    continue;
                }

                IReadOnlyList<ClaimedRun> claimed;
                try
                {
                    claimed = await server.ClaimAsync(options.Pool, options.Name, Math.Min(free, MaxClaimBatch), options.ClaimWait, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or WeirApiException { Status: >= 500 })
                {
                    logger.LogWarning("Could not reach the server to claim a run ({Message}); trying again in 2 s.", ex.Message);
                    await Task.Delay(TimeSpan.FromSeconds(2), options.TimeProvider, stop).ConfigureAwait(false);
                    continue;
                }
                catch (WeirApiException ex) when (ex.Status is 403 or 404)
                {
                    // The pool does not exist (yet), or this worker's key does not serve it: an admin can fix either while it waits.
                    if (ex.Message != refusal)
                    {
                        refusal = ex.Message;
                        logger.LogError("Worker {Worker} cannot claim from work pool '{Pool}': {Message} It tries again every 2 s.", options.Name, options.Pool, ex.Message);
                    }

                    await Task.Delay(TimeSpan.FromSeconds(2), options.TimeProvider, stop).ConfigureAwait(false);
                    continue;
                }

                refusal = null;

                foreach (var run in claimed)
                {
                    // From its claim on, a run is the worker's: heart-beats list it and a cancellation request reaches it.
                    // A run re-claimed at once after its crash has the same id as the attempt still ending: each holds its own token.
                    var cancel = CancellationTokenSource.CreateLinkedTokenSource(_drainOver.Token);
                    _active[run.FlowRunId] = cancel;
                    Interlocked.Increment(ref held);
                    ready.Writer.TryWrite(new Held(run, cancel));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        ready.Writer.TryComplete();
        await claiming.CancelAsync().ConfigureAwait(false);
        await executor.ConfigureAwait(false);
        await ReleaseUnstartedAsync(ready.Reader).ConfigureAwait(false);
        if (!restart)
        {
            await DrainAsync(running).ConfigureAwait(false);
        }

        await Task.WhenAll(running.Keys).ConfigureAwait(false);
        await beats.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
        try
        {
            await sweep.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Leftover folders are only disk space: the next start tries again.
            logger.LogWarning("Removing leftover run folders failed: {Type}: {Message}", ex.GetType().Name, ex.Message);
        }

        return restart ? WorkerStop.Restart : WorkerStop.Stopped;
    }

    /// <summary>A stopping worker's last wait: up to <see cref="WorkerOptions.DrainTimeout"/> for its runs to end, then it stops them.</summary>
    private async Task DrainAsync(ConcurrentDictionary<Task, bool> running)
    {
        var drain = options.DrainTimeout;
        if (running.IsEmpty)
        {
            logger.LogInformation("Worker {Worker} stopping: it claims no more runs, and none is going.", options.Name);
            return;
        }

        if (drain > TimeSpan.Zero)
        {
            logger.LogInformation("Worker {Worker} stopping: it claims no more runs and waits up to {Seconds} s for its {Count} run(s) going to end.",
                options.Name, drain.TotalSeconds, running.Count);
            using var waited = new CancellationTokenSource();
            var all = Task.WhenAll(running.Keys);
            await Task.WhenAny(all, Task.Delay(drain, options.TimeProvider, waited.Token)).ConfigureAwait(false);
            await waited.CancelAsync().ConfigureAwait(false);
            if (all.IsCompleted)
            {
                logger.LogInformation("Worker {Worker}: every run ended within the drain.", options.Name);
                return;
            }
        }

        logger.LogWarning("Worker {Worker} stops its {Count} run(s) still going{After}; each is marked Crashed, and re-scheduled when its retries allow.",
            options.Name, running.Count, drain > TimeSpan.Zero ? $" after the drain of {drain.TotalSeconds:0.#} s" : string.Empty);
        await _drainOver.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Why a run the worker stopped at its drain's end ended, for its state message.</summary>
    private string StoppedMessage => options.DrainTimeout > TimeSpan.Zero
        ? $"The worker {options.Name} stopped while the run was going: it was asked to stop and waited {options.DrainTimeout.TotalSeconds:0.#} s for the run to end."
        : $"The worker {options.Name} stopped while the run was going.";

    /// <summary>Reports the run ends that in-process workers killed on this <c>WEIR_HOME</c> had recorded but not yet reported.</summary>
    private async Task ReplayJournalsAsync(CancellationToken stop)
    {
        try
        {
            await RunEndJournal.ReplayAsync(server, new WorkerPaths(options.WeirHome).Journals, logger, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or WeirApiException or IOException)
        {
            // The journals stay for the next start; the crash detector re-runs what is not reported by then.
            logger.LogWarning("Could not report the run ends a stopped worker recorded: {Message}", ex.Message);
        }
    }

    /// <summary>Starts each claimed run as soon as a slot is free, until claiming stops.</summary>
    private async Task ExecuteReadyAsync(IFlowLauncher flowLauncher, System.Threading.Channels.ChannelReader<Held> ready, SemaphoreSlim slots,
        ConcurrentDictionary<Task, bool> running, Action ended, CancellationToken claiming)
    {
        try
        {
            while (true)
            {
                await slots.WaitAsync(claiming).ConfigureAwait(false);
                if (!ready.TryRead(out var run))
                {
                    try
                    {
                        if (!await ready.WaitToReadAsync(claiming).ConfigureAwait(false) || !ready.TryRead(out run))
                        {
                            slots.Release();
                            return;
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        slots.Release();
                        throw;
                    }
                }

                var claimed = run.Run;
                var task = ExecuteAsync(claimed.FlowRunId, claimed.DeploymentName, (output, token) => flowLauncher.LaunchAsync(claimed, output, token), run.Cancel);
                running[task] = true;
                _ = task.ContinueWith(t =>
                {
                    running.TryRemove(t, out _);
                    slots.Release();
                    ended();
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (claiming.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Takes up the runs the launcher found going from an earlier life of this worker (<see cref="IFlowLauncher.StartAsync"/>): they are
    /// the worker's as if it had just launched them, and take a slot each while there is one.
    /// </summary>
    private async Task AdoptAsync(IFlowLauncher flowLauncher, SemaphoreSlim slots, ConcurrentDictionary<Task, bool> running, Action ended, Action holding, CancellationToken stop)
    {
        IReadOnlyList<AdoptedRun> adopted;
        try
        {
            adopted = await flowLauncher.StartAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or WeirApiException)
        {
            logger.LogWarning("Worker {Worker}: could not look for runs an earlier start left going ({Message}); it goes on without them.", options.Name, ex.Message);
            return;
        }

        foreach (var run in adopted)
        {
            // Like a claimed run's: stopped only when the drain is over (a kubernetes Job is then left going, not deleted).
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(_drainOver.Token);
            _active[run.FlowRunId] = cancel;
            holding();
            var slot = slots.Wait(0);
            logger.LogInformation("Flow run {Run} of {Deployment}: taken up again from an earlier start of this worker.", run.FlowRunId, run.DeploymentName);
            var task = ExecuteAsync(run.FlowRunId, run.DeploymentName, run.WaitAsync, cancel);
            running[task] = true;
            _ = task.ContinueWith(t =>
            {
                running.TryRemove(t, out _);
                if (slot)
                {
                    slots.Release();
                }

                ended();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Gives the runs a stopping worker claimed but never started back to the pool (Scheduled again, no retry used).</summary>
    private async Task ReleaseUnstartedAsync(System.Threading.Channels.ChannelReader<Held> ready)
    {
        while (ready.TryRead(out var held))
        {
            var id = held.Run.FlowRunId;
            _active.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(id, held.Cancel));
            held.Cancel.Dispose();

            try
            {
                await server.SetStateAsync(id, StateType.Scheduled, $"Given back by worker {options.Name}, which stopped before starting it.", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or WeirApiException)
            {
                // The crash detector re-schedules it once the worker's heart-beats stop.
                logger.LogWarning("Flow run {Run}: could not give it back ({Message}).", id, ex.Message);
            }
        }
    }

    private async Task HeartbeatLoopAsync(IFlowLauncher flowLauncher, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, options.TimeProvider);
        try
        {
            do
            {
                try
                {
                    // Runs the launcher sees alive but this worker does not run (another worker's Kubernetes Jobs) are listed too:
                    // while any worker sees a run alive, the server does not take it for crashed.
                    var seen = flowLauncher.SeenAlive;
                    var running = new HashSet<Guid>(_active.Keys);
                    running.UnionWith(seen);
                    var cancel = await server.HeartbeatAsync(options.Pool, options.Name, running, stop).ConfigureAwait(false);
                    foreach (var id in cancel)
                    {
                        if (_active.TryGetValue(id, out var cts))
                        {
                            logger.LogInformation("Cancelling flow run {Run} as the server asks.", id);
                            await cts.CancelAsync().ConfigureAwait(false);
                        }
                        else if (seen.Contains(id))
                        {
                            logger.LogInformation("Stopping flow run {Run}, which another worker started, as the server asks for its cancellation.", id);
                            await flowLauncher.StopSeenAsync(id, stop).ConfigureAwait(false);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or WeirApiException { Status: >= 500 })
                {
                    logger.LogWarning("Heart-beat failed: {Message}", ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task ExecuteAsync(Guid id, string deployment, Func<FlowOutput, CancellationToken, Task<FlowExit>> launch, CancellationTokenSource cancel)
    {
        using var _ = cancel;
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["FlowRunId"] = id, ["Deployment"] = deployment });
        try
        {
            logger.LogInformation("Flow run {Run} of {Deployment}: preparing.", id, deployment);
            var errors = new Queue<string>();
            var output = new FlowOutput(
                (line, isError) =>
                {
                    if (isError)
                    {
                        lock (errors)
                        {
                            errors.Enqueue(line);
                            if (errors.Count > 20)
                            {
                                errors.Dequeue();
                            }
                        }
                    }

                    logger.LogDebug("[{Run}] {Line}", id, line);
                },
                line => logger.LogInformation("Flow run {Run}: {Line}.", id, line))
            {
                // A launcher that reports the run's end itself (in-process) ends a run the worker stopped Crashed, not Cancelled.
                StopReason = () => _drainOver.IsCancellationRequested ? StoppedMessage : null,
            };
            var exit = await launch(output, cancel.Token).ConfigureAwait(false);
            string LastErrors()
            {
                lock (errors)
                {
                    return string.Join('\n', errors);
                }
            }

            if (exit.Detached)
            {
                logger.LogInformation("Flow run {Run}: the worker stops following the {What}, which goes on without it.", id, exit.What);
                return;
            }

            if (exit.Killed)
            {
                var why = _drainOver.IsCancellationRequested ? StateType.Crashed : StateType.Cancelled;
                await server.SetStateAsync(id, why, why == StateType.Crashed ? StoppedMessage : $"The {exit.What} was stopped.", CancellationToken.None).ConfigureAwait(false);
            }
            else if (exit.ExitCode == FlowExit.CouldNotStart)
            {
                await server.SetStateAsync(id, StateType.Failed, LastErrors().Replace("error: ", string.Empty, StringComparison.Ordinal), CancellationToken.None).ConfigureAwait(false);
            }
            else if (exit.Crashed)
            {
                var last = LastErrors();
                var how = exit.Reason is { } reason ? $"The {exit.What} {reason}" : $"The {exit.What} ended unexpectedly with exit code {exit.ExitCode}{Signal(exit.ExitCode)}.";
                await server.SetStateAsync(id, StateType.Crashed, how + (last.Length > 0 ? " Its last error output:\n" + last : string.Empty), CancellationToken.None).ConfigureAwait(false);
            }

            logger.LogInformation("Flow run {Run}: the {What} exited with code {Code}.", id, exit.What, exit.ExitCode);
        }
        catch (RunPreparationException ex)
        {
            logger.LogWarning("Flow run {Run} could not start: {Message}", id, ex.Message);
            await server.SetStateAsync(id, StateType.Failed, ex.Message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await server.SetStateAsync(id, _drainOver.IsCancellationRequested ? StateType.Crashed : StateType.Cancelled,
                _drainOver.IsCancellationRequested ? StoppedMessage : "Cancelled before the flow started.", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException or WeirApiException { Status: >= 500 })
        {
            // Never leave a claimed run Pending: the server re-schedules a crash when retries allow.
            logger.LogError("Flow run {Run}: {Message}", id, ex.Message);
            try
            {
                await server.SetStateAsync(id, StateType.Crashed, $"The worker {options.Name} could not run it: {ex.Message}", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception second) when (second is HttpRequestException or WeirApiException)
            {
                logger.LogError("Flow run {Run}: could not mark it Crashed either ({Message}).", id, second.Message);
            }
        }
        finally
        {
            _active.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(id, cancel));
        }
    }

    private static string Signal(int exitCode) => exitCode > 128 && exitCode < 160 ? $" (signal {exitCode - 128}{(exitCode == 137 ? ", SIGKILL" : exitCode == 143 ? ", SIGTERM" : string.Empty)})" : string.Empty;

    /// <summary>A run the worker has claimed, with the token that stops it.</summary>
    private sealed record Held(ClaimedRun Run, CancellationTokenSource Cancel);
}
