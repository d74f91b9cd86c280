using Microsoft.Extensions.Logging;
using Weir.Server.Storage;

namespace Weir.Server.Services;

/// <summary>Marks Crashed the runs of workers that stopped heart-beating (re-scheduled when the deployment's retries allow).</summary>
internal sealed class CrashDetector(IWeirStore store, WeirServerOptions options, TimeProvider time, ILogger<CrashDetector> logger) : ServerLoop(time, logger)
{
    protected override TimeSpan Interval => options.CrashCheckInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var crashed = await store.CrashRunsOfLostWorkersAsync(options.WorkerSilence, cancellationToken).ConfigureAwait(false);
        if (crashed > 0)
        {
            logger.LogWarning("Marked {Count} run(s) of workers silent for over {Silence} Crashed.", crashed, options.WorkerSilence);
        }
    }
}
