using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weir.Server.Data;

namespace Weir.Server.Services;

/// <summary>Marks Crashed the runs of workers that stopped heart-beating, and re-schedules them when retries allow.</summary>
internal sealed class CrashDetector(Store store, WeirServerOptions options, ILogger<CrashDetector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.WorkerSilence.TotalSeconds / 6)), options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var crashed = await store.CrashRunsOfLostWorkersAsync(options.WorkerSilence).ConfigureAwait(false);
                if (crashed > 0)
                {
                    logger.LogWarning("Marked {Count} run(s) of silent workers Crashed.", crashed);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
