using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Compiler;

namespace Weir.Worker;

/// <summary>
/// The prepare → provenance → drift-warning sequence, written once for every way a run is prepared (the
/// process pool's worker, and a runner preparing its own run in a container): the pull steps' lines go to the
/// run's logs, the code the run fetched is recorded on it (also when the run is stopped after fetching, by a
/// compile error or a structure that no longer fits), and a structure drift is logged as a warning.
/// </summary>
public static class RunReporting
{
    /// <summary>Prepares the run and records what it fetched; throws <see cref="RunPreparationException"/> when it cannot start.</summary>
    public static async Task<PreparedRun> PrepareAsync(RunPreparer preparer, IWorkerServer server, RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preparer);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(request);
        var id = request.FlowRunId;
        var lines = new List<string>();
        PreparedRun prepared;
        try
        {
            prepared = await preparer.PrepareAsync(request, server.References, lines.Add, cancellationToken).ConfigureAwait(false);
        }
        catch (RunPreparationException ex) when (ex.Fetched is { } fetched)
        {
            await LogAsync(server, id, lines).ConfigureAwait(false);
            try
            {
                await server.RecordProvenanceAsync(id, fetched.Commit, fetched.ManifestHash, fetched.ContentHash, null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception report) when (report is HttpRequestException or WeirApiException)
            {
                // The run's failure is what matters; its provenance is a detail the server may miss.
            }

            throw;
        }
        catch
        {
            await LogAsync(server, id, lines).ConfigureAwait(false);
            throw;
        }

        await LogAsync(server, id, lines).ConfigureAwait(false);
        var drift = prepared.Structure.Verdict == StructureVerdict.Drift ? prepared.Structure.Message : null;
        await server.RecordProvenanceAsync(id, prepared.Commit, prepared.ManifestHash, prepared.ContentHash, drift, cancellationToken).ConfigureAwait(false);
        if (drift is not null)
        {
            await server.LogAsync(id, LogLevel.Warning, drift, cancellationToken).ConfigureAwait(false);
        }

        return prepared;
    }

    private static async Task LogAsync(IWorkerServer server, Guid id, List<string> lines)
    {
        foreach (var line in lines)
        {
            await server.LogAsync(id, LogLevel.Information, line, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
