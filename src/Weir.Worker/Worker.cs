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
public sealed class Worker(IWorkerServer server, WorkerOptions options, ILogger logger, IFlowLauncher? launcher = null)
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _active = new();

    /// <summary>Runs until <paramref name="stop"/> is cancelled; runs still going then are stopped and marked Crashed.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var ownLauncher = launcher is null ? new ProcessFlowLauncher(server, options) : null;
        var flowLauncher = launcher ?? ownLauncher!;
        using var slots = new SemaphoreSlim(options.Limit);
        var running = new ConcurrentDictionary<Task, bool>();
        var heartbeat = HeartbeatLoopAsync(stop);
        logger.LogInformation("Worker {Worker} started: {Type} pool '{Pool}', up to {Limit} runs at once.", options.Name, flowLauncher.PoolType, options.Pool, options.Limit);
        var sweep = Task.Run(() => RunFolderSweeper.SweepAsync(server, new WorkerPaths(options.WeirHome).Runs, logger, stop), CancellationToken.None);

        try
        {
            while (!stop.IsCancellationRequested)
            {
                await slots.WaitAsync(stop).ConfigureAwait(false);
                ClaimedRun? claimed;
                try
                {
                    claimed = await server.ClaimAsync(options.Pool, options.Name, options.ClaimWait, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or WeirApiException { Status: >= 500 })
                {
                    slots.Release();
                    logger.LogWarning("Could not reach the server to claim a run ({Message}); trying again in 2 s.", ex.Message);
                    await Task.Delay(TimeSpan.FromSeconds(2), stop).ConfigureAwait(false);
                    continue;
                }

                if (claimed is null)
                {
                    slots.Release();
                    continue;
                }

                var task = ExecuteAsync(flowLauncher, claimed, stop);
                running[task] = true;
                _ = task.ContinueWith(t =>
                {
                    running.TryRemove(t, out _);
                    slots.Release();
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        logger.LogInformation("Worker {Worker} stopping; {Count} run(s) still going are stopped.", options.Name, running.Count);
        await Task.WhenAll(running.Keys).ConfigureAwait(false);
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
    }

    private async Task HeartbeatLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval);
        try
        {
            do
            {
                try
                {
                    var cancel = await server.HeartbeatAsync(options.Pool, options.Name, [.. _active.Keys], stop).ConfigureAwait(false);
                    foreach (var id in cancel)
                    {
                        if (_active.TryGetValue(id, out var cts))
                        {
                            logger.LogInformation("Cancelling flow run {Run} as the server asks.", id);
                            await cts.CancelAsync().ConfigureAwait(false);
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

    private async Task ExecuteAsync(IFlowLauncher launcher, ClaimedRun claimed, CancellationToken stop)
    {
        var id = claimed.Request.FlowRunId;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _active[id] = cancel;
        try
        {
            logger.LogInformation("Flow run {Run} of {Deployment}: preparing.", id, claimed.Request.DeploymentName);
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
                line => logger.LogInformation("Flow run {Run}: {Line}.", id, line));
            var exit = await launcher.LaunchAsync(claimed, output, cancel.Token).ConfigureAwait(false);
            string LastErrors()
            {
                lock (errors)
                {
                    return string.Join('\n', errors);
                }
            }

            if (exit.Killed)
            {
                var why = stop.IsCancellationRequested ? StateType.Crashed : StateType.Cancelled;
                await server.SetStateAsync(id, why, why == StateType.Crashed ? $"The worker {options.Name} stopped while the run was going." : $"The {exit.What} was stopped.", CancellationToken.None).ConfigureAwait(false);
            }
            else if (exit.ExitCode == FlowExit.CouldNotStart)
            {
                await server.SetStateAsync(id, StateType.Failed, LastErrors().Replace("error: ", string.Empty, StringComparison.Ordinal), CancellationToken.None).ConfigureAwait(false);
            }
            else if (exit.Crashed)
            {
                var last = LastErrors();
                await server.SetStateAsync(id, StateType.Crashed,
                    $"The {exit.What} ended unexpectedly with exit code {exit.ExitCode}{Signal(exit.ExitCode)}.{(last.Length > 0 ? " Its last error output:\n" + last : string.Empty)}",
                    CancellationToken.None).ConfigureAwait(false);
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
            await server.SetStateAsync(id, stop.IsCancellationRequested ? StateType.Crashed : StateType.Cancelled, "Cancelled before the flow started.", CancellationToken.None).ConfigureAwait(false);
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
            _active.TryRemove(id, out _);
        }
    }

    private static string Signal(int exitCode) => exitCode > 128 && exitCode < 160 ? $" (signal {exitCode - 128}{(exitCode == 137 ? ", SIGKILL" : exitCode == 143 ? ", SIGTERM" : string.Empty)})" : string.Empty;
}
