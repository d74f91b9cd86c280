using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Weir.Server.Services;

/// <summary>A background service that does one pass every <see cref="Interval"/> on the injected clock; a failed pass is logged and the loop goes on.</summary>
internal abstract class ServerLoop(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass; public so tests can drive it with a fake clock.</summary>
    public abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "{Service} failed; it tries again in {Interval}.", GetType().Name, Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
