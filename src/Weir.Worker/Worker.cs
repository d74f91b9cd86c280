using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Compiler;
using Weir.Storage.Steps;

namespace Weir.Worker;

/// <summary>
/// Polls one work pool and runs what it claims: prepares each run (pull steps, compile, structure
/// check), runs the flow in a child process that reports states and logs itself, heart-beats,
/// kills a run's process tree when the server asks for cancellation, and marks a run Crashed when
/// its process dies. At most <see cref="WorkerOptions.Limit"/> runs at once.
/// </summary>
public sealed class Worker(IWorkerServer server, WorkerOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _active = new();

    /// <summary>Runs until <paramref name="stop"/> is cancelled; runs still going then are stopped and marked Crashed.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var paths = new WorkerPaths(options.WeirHome);
        Directory.CreateDirectory(paths.Runs);
        var preparer = new RunPreparer(paths, StepRegistry.CreateDefault(), new FlowCompiler(new FlowCompilerOptions { WeirHome = options.WeirHome }))
        {
            DownloadBuild = server.DownloadBuildAsync,
        };
        using var slots = new SemaphoreSlim(options.Limit);
        using var starter = new FlowProcessStarter(options.Command ?? FlowProcessCommand.Current(), server.ChildEnvironment, paths.Runs, options.Standby);
        var running = new ConcurrentDictionary<Task, bool>();
        var heartbeat = HeartbeatLoopAsync(stop);
        logger.LogInformation("Worker {Worker} started: pool '{Pool}', up to {Limit} runs at once.", options.Name, options.Pool, options.Limit);

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

                var task = ExecuteAsync(preparer, starter, claimed, stop);
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

    private async Task ExecuteAsync(RunPreparer preparer, FlowProcessStarter starter, ClaimedRun claimed, CancellationToken stop)
    {
        var id = claimed.Request.FlowRunId;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _active[id] = cancel;
        PreparedRun? prepared = null;
        try
        {
            logger.LogInformation("Flow run {Run} of {Deployment}: preparing.", id, claimed.Request.DeploymentName);
            var lines = new List<string>();
            try
            {
                prepared = await preparer.PrepareAsync(claimed.Request, server.References, lines.Add, cancel.Token).ConfigureAwait(false);
            }
            finally
            {
                foreach (var line in lines)
                {
                    await server.LogAsync(id, LogLevel.Information, line, CancellationToken.None).ConfigureAwait(false);
                }
            }

            var drift = prepared.Structure.Verdict == StructureVerdict.Drift ? prepared.Structure.Message : null;
            await server.RecordProvenanceAsync(id, prepared.Commit, prepared.ManifestHash, prepared.ContentHash, drift, cancel.Token).ConfigureAwait(false);
            if (drift is not null)
            {
                await server.LogAsync(id, LogLevel.Warning, drift, cancel.Token).ConfigureAwait(false);
            }

            var parameters = Path.Combine(prepared.RunFolder, "parameters.json");
            await File.WriteAllTextAsync(parameters, claimed.Parameters.ToJsonString(), cancel.Token).ConfigureAwait(false);
            string[] arguments =
            [
                "flow-run", "execute", id.ToString(), "--source", prepared.SourcePath, "--flow", prepared.FlowName, "--params-file", parameters,
                "--retries", claimed.Retries.ToString(CultureInfo.InvariantCulture), "--retry-delay-seconds", claimed.RetryDelaySeconds.ToString(CultureInfo.InvariantCulture),
                .. prepared.BuildId is { } buildId ? new[] { "--build-id", buildId } : [],
            ];
            var errors = new Queue<string>();
            var result = await starter.RunAsync(arguments, prepared.WorkingDirectory,
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
                pid => logger.LogInformation("Flow run {Run}: started process {Pid}.", id, pid),
                cancel.Token).ConfigureAwait(false);

            if (result.Killed)
            {
                var why = stop.IsCancellationRequested ? StateType.Crashed : StateType.Cancelled;
                await server.SetStateAsync(id, why, why == StateType.Crashed ? $"The worker {options.Name} stopped while the run was going." : "Cancelled: the flow process was stopped.", CancellationToken.None).ConfigureAwait(false);
            }
            else if (result.ExitCode == 2)
            {
                await server.SetStateAsync(id, StateType.Failed, string.Join('\n', errors).Replace("error: ", string.Empty, StringComparison.Ordinal), CancellationToken.None).ConfigureAwait(false);
            }
            else if (result.Crashed)
            {
                await server.SetStateAsync(id, StateType.Crashed, $"The flow process (PID {result.ProcessId}) ended unexpectedly with exit code {result.ExitCode}{Signal(result.ExitCode)}.", CancellationToken.None).ConfigureAwait(false);
            }

            logger.LogInformation("Flow run {Run}: process exited with code {Code}.", id, result.ExitCode);
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
            if (prepared is not null)
            {
                RunPreparer.Cleanup(prepared.RunFolder);
            }
        }
    }

    private static string Signal(int exitCode) => exitCode > 128 && exitCode < 160 ? $" (signal {exitCode - 128}{(exitCode == 137 ? ", SIGKILL" : exitCode == 143 ? ", SIGTERM" : string.Empty)})" : string.Empty;
}
