using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Weir.Worker;

/// <summary>
/// Removes run folders that outlived their runs: a worker killed with SIGKILL (or a machine that lost
/// power) never deletes the folders of the runs it held, and each such folder keeps its leased git
/// checkout, so without this every crash would cost a fresh clone for good. A folder is removed only
/// once the server says its run has ended; a run still going (a flow process that outlived its worker
/// and heart-beats in its name, or another worker sharing <c>WEIR_HOME</c>) keeps its folder.
/// </summary>
internal static class RunFolderSweeper
{
    /// <summary>Removes the folders under <paramref name="runs"/> whose run has ended; returns how many it removed.</summary>
    public static async Task<int> SweepAsync(IWorkerServer server, string runs, ILogger logger, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(runs))
        {
            return 0;
        }

        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(runs))
        {
            // Run folders are named "<flow run id, 32 hex digits>-<8 random hex digits>" (RunPreparer).
            var name = Path.GetFileName(folder);
            if (name.Length != 41 || name[32] != '-' || !Guid.TryParseExact(name[..32], "N", out var id))
            {
                continue;
            }

            bool over;
            try
            {
                over = await server.IsRunOverAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or Client.WeirApiException)
            {
                logger.LogWarning("Could not ask the server whether run {Run} has ended ({Message}); its folder {Folder} is kept until the next start.", id, ex.Message, folder);
                return removed;
            }

            if (over)
            {
                RunPreparer.Cleanup(folder);
                if (!Directory.Exists(folder))
                {
                    removed++;
                }
            }
        }

        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} run folder(s) under {Runs} left by runs that ended without their worker.", removed.ToString(CultureInfo.InvariantCulture), runs);
        }

        return removed;
    }
}
