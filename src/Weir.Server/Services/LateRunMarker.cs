using Microsoft.Extensions.Logging;

namespace Weir.Server.Services;

/// <summary>Renames Scheduled runs that are past their start by more than the threshold to Late (still Scheduled, still claimable).</summary>
internal sealed class LateRunMarker(IWeirStore store, WeirServerOptions options, TimeProvider time, ILogger<LateRunMarker> logger) : ServerLoop(time, logger)
{
    protected override TimeSpan Interval => options.LateCheckInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var late = await store.MarkLateRunsAsync(options.LateAfter, cancellationToken).ConfigureAwait(false);
        if (late > 0)
        {
            logger.LogInformation("{Count} scheduled run(s) are late (not started {Threshold} after their start).", late, options.LateAfter);
        }
    }
}
