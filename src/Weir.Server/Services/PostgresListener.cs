using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Weir.Server.Services;

/// <summary>
/// Listens on PostgreSQL's <c>weir_runs</c> channel so a run made ready by another server process
/// wakes this process's long-polling claims at once. Reconnects after a dropped connection (the
/// claims' short fallback poll covers the gap).
/// </summary>
internal sealed class PostgresListener(PostgresDialect dialect, RunSignals signals, TimeProvider time, ILogger<PostgresListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dialect.OpenListenerAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += (_, e) => signals.Signal(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDialect.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning("Listening for new runs on PostgreSQL failed ({Message}); reconnecting in 1 s.", ex.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
