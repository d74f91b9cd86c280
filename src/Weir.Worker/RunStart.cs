using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Compiler;

namespace Weir.Worker;

/// <summary>
/// The one place a run's start is put into words, whichever pool prepares it: the preparation's progress
/// lines, the code it got (commit or manifest, and the source hash) and, when the tasks differ from the
/// deployment's, the structure-drift warning. They travel as one <see cref="EventBatch"/>: a flow process
/// sends it with its first events, the in-process pool queues it into its shared sink, so starting a run
/// costs no request of its own. When preparation fails, the worker sends what it has at once (the lines, and
/// the code it fetched when it got that far) and rethrows.
/// </summary>
internal static class RunStart
{
    public static async Task<(PreparedRun Prepared, EventBatch Start)> PrepareAsync(
        RunPreparer preparer, ClaimedRun request, IWorkerServer server, TimeProvider time, CancellationToken cancellationToken)
    {
        var id = request.FlowRunId;
        var start = new EventBatch();
        PreparedRun prepared;
        try
        {
            prepared = await preparer.PrepareAsync(request, server.References, line => start.Logs.Add(Log(id, time, LogLevel.Information, line)), cancellationToken).ConfigureAwait(false);
        }
        catch (RunPreparationException ex)
        {
            if (ex.Fetched is { } fetched)
            {
                start.Provenance.Add(new RunProvenance(id, fetched.Commit, fetched.ManifestHash, fetched.ContentHash, null));
            }

            if (!start.IsEmpty)
            {
                await server.ReportAsync(start, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        start.Logs.Add(Log(id, time, LogLevel.Information,
            prepared.Build.CacheHit ? $"Build of {prepared.SourcePath} taken from the compile cache." : $"Compiled {prepared.SourcePath} in {prepared.Build.Elapsed.TotalSeconds:F1} s."));
        var drift = prepared.Structure.Verdict == StructureVerdict.Drift ? prepared.Structure.Message : null;
        start.Provenance.Add(new RunProvenance(id, prepared.Commit, prepared.ManifestHash, prepared.ContentHash, drift));
        if (drift is not null)
        {
            start.Logs.Add(Log(id, time, LogLevel.Warning, drift));
        }

        return (prepared, start);
    }

    /// <summary>A log line of the worker's own about a run.</summary>
    public static LogDto Log(Guid run, TimeProvider time, LogLevel level, string message) =>
        new(0, run, null, time.GetUtcNow(), LogDto.LevelOf(level), LogDto.WorkerSource, message);
}
