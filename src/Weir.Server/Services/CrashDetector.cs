using Microsoft.Extensions.Logging;
using Weir.Server.Api;

namespace Weir.Server.Services;

/// <summary>
/// Marks Crashed the runs of workers that stopped heart-beating (re-scheduled when the deployment's retries allow).
/// A worker's silence only counts while its heart-beats could have been recorded: not while the server was down
/// or its database unreachable. So after the server starts, and after a pass finds the database unreachable,
/// the detector waits a whole <see cref="WeirServerOptions.WorkerSilence"/> (checking only that the database
/// answers) before it takes any worker for lost; live workers heart-beat again within that time.
/// </summary>
internal sealed class CrashDetector(IWeirStore store, WeirServerOptions options, TimeProvider time, ILogger<CrashDetector> logger) : ServerLoop(time, logger)
{
    private DateTimeOffset _recordingSince = time.GetUtcNow();

    protected override TimeSpan Interval => options.CrashCheckInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Time.GetUtcNow() - _recordingSince < options.WorkerSilence)
            {
                await store.PingAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var crashed = await store.CrashRunsOfLostWorkersAsync(options.WorkerSilence, cancellationToken).ConfigureAwait(false);
            if (crashed > 0)
            {
                logger.LogWarning("Marked {Count} run(s) of workers silent for over {Silence} Crashed.", crashed, options.WorkerSilence);
            }
        }
        catch (Exception ex) when (ErrorMiddleware.DatabaseUnavailable(ex))
        {
            _recordingSince = Time.GetUtcNow();
            logger.LogWarning("The database is unavailable ({Message}); no worker is taken for lost until heart-beats have been recorded again for {Silence}.", ex.Message, options.WorkerSilence);
        }
    }
}
