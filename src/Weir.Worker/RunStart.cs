using Microsoft.Extensions.Logging;
using Weir.Compiler;

namespace Weir.Worker;

/// <summary>
/// The one place a run's start is reported, whichever pool prepares it: the preparation's progress lines
/// go to the run's logs (also when preparation fails), then the code it got (commit or manifest, and the
/// source hash) and, when the tasks differ from the deployment's, the structure-drift warning.
/// </summary>
internal static class RunStart
{
    public static async Task<PreparedRun> PrepareAsync(RunPreparer preparer, RunRequest request, IWorkerServer server, CancellationToken cancellationToken)
    {
        var id = request.FlowRunId;
        var lines = new List<string>();
        PreparedRun prepared;
        try
        {
            prepared = await preparer.PrepareAsync(request, server.References, lines.Add, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var line in lines)
            {
                await server.LogAsync(id, LogLevel.Information, line, CancellationToken.None).ConfigureAwait(false);
            }
        }

        await server.LogAsync(id, LogLevel.Information,
            prepared.Build.CacheHit ? $"Build of {prepared.SourcePath} taken from the compile cache." : $"Compiled {prepared.SourcePath} in {prepared.Build.Elapsed.TotalSeconds:F1} s.",
            cancellationToken).ConfigureAwait(false);
        var drift = prepared.Structure.Verdict == StructureVerdict.Drift ? prepared.Structure.Message : null;
        await server.RecordProvenanceAsync(id, prepared.Commit, prepared.ManifestHash, prepared.ContentHash, drift, cancellationToken).ConfigureAwait(false);
        if (drift is not null)
        {
            await server.LogAsync(id, LogLevel.Warning, drift, cancellationToken).ConfigureAwait(false);
        }

        return prepared;
    }
}
