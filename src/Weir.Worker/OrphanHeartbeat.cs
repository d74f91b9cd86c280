using Weir.Client;

namespace Weir.Worker;

/// <summary>
/// Keeps a flow run alive when its worker dies. A worker's flow processes run in their own process
/// groups, so they outlive a worker killed with SIGKILL; without a heart-beat the server would mark
/// the run Crashed after <c>WorkerSilence</c> and run it again elsewhere while it is still running here,
/// executing it twice. So a flow process watches its parent: once it has been re-parented (the worker
/// is gone) it heart-beats its run with the run's token, and when the server asks for cancellation it
/// marks the run Cancelled and kills its own process group. While the worker lives it does nothing.
/// In a container (<see cref="LifelineVariable"/> is <c>stdin</c>) the parent cannot be watched; there
/// the worker holds the container's standard input open (<c>docker run -i</c>), and its end (the
/// worker, or the docker command attached for it, died) is the sign.
/// </summary>
public sealed class OrphanHeartbeat : IAsyncDisposable
{
    /// <summary>The environment variables a worker sets for its flow processes.</summary>
    public const string PoolVariable = "WEIR_WORKER_POOL";

    /// <inheritdoc cref="PoolVariable" />
    public const string NameVariable = "WEIR_WORKER_NAME";

    /// <inheritdoc cref="PoolVariable" />
    public const string IntervalVariable = "WEIR_WORKER_HEARTBEAT_SECONDS";

    /// <inheritdoc cref="PoolVariable" />
    public const string LifelineVariable = "WEIR_WORKER_LIFELINE";

    private readonly CancellationTokenSource _stop = new();
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly Task _loop;
    private volatile bool _standardInputEnded;

    private OrphanHeartbeat(WeirClient client, Guid runId, string pool, string worker, TimeSpan interval, int parent, bool standardInputLifeline, Microsoft.Extensions.Logging.ILogger logger)
    {
        _logger = logger;
        if (standardInputLifeline)
        {
            // A blocking read on a thread of its own; it ends with the process.
            var reader = new Thread(WatchStandardInput) { IsBackground = true, Name = "weir-worker-lifeline" };
            reader.Start();
        }

        _loop = Task.Run(() => LoopAsync(client, runId, pool, worker, interval, standardInputLifeline ? null : parent));
    }

    /// <summary>Starts watching when this process was started by a worker (its variables are set) on Linux; otherwise null.</summary>
    public static OrphanHeartbeat? Start(WeirClient client, Guid runId, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var pool = Environment.GetEnvironmentVariable(PoolVariable);
        var worker = Environment.GetEnvironmentVariable(NameVariable);
        if (!OperatingSystem.IsLinux() || string.IsNullOrEmpty(pool) || string.IsNullOrEmpty(worker))
        {
            return null;
        }

        var seconds = double.TryParse(Environment.GetEnvironmentVariable(IntervalVariable), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1;
        var lifeline = Environment.GetEnvironmentVariable(LifelineVariable) == "stdin";
        return new OrphanHeartbeat(client, runId, pool, worker, TimeSpan.FromSeconds(seconds), NativeMethods.GetParentProcessId(), lifeline,
            logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    /// <summary>Stops watching.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private void WatchStandardInput()
    {
        try
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (input.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }
        catch (IOException)
        {
        }

        _standardInputEnded = true;
    }

    private async Task LoopAsync(WeirClient client, Guid runId, string pool, string worker, TimeSpan interval, int? parent)
    {
        using var timer = new PeriodicTimer(interval);
        var announced = false;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (parent is { } pid ? NativeMethods.GetParentProcessId() == pid : !_standardInputEnded)
                {
                    continue;
                }

                if (!announced)
                {
                    announced = true;
                    Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(_logger, "The worker {Worker} is gone; flow run {Run} goes on, heart-beating itself.", worker, runId);
                }

                try
                {
                    // The run's own heart-beat, with its token: it keeps this run from being taken for crashed, and only it.
                    if (await client.HeartbeatRunAsync(runId, _stop.Token).ConfigureAwait(false))
                    {
                        await client.SetStateAsync(runId, new StateRequest(StateType.Cancelled, $"The worker {worker} was gone, so the flow process stopped itself."), _stop.Token).ConfigureAwait(false);
                        StopProcessGroup();
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or WeirApiException)
                {
                    // The next beat tries again; the server allows WorkerSilence between them.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private static void StopProcessGroup()
    {
        // A worker starts each flow process as the leader of its own group: the group is this run and what it started
        // (in a container the runner is process 1, whose group is the container's).
        if (NativeMethods.GetProcessGroup() == Environment.ProcessId)
        {
            _ = NativeMethods.Kill(0, NativeMethods.SigKill);
        }

        Environment.Exit(1);
    }
}
