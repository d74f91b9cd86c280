using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>A work pool and its workers' last heart-beats.</summary>
/// <param name="Name">The pool's name.</param>
/// <param name="Type"><c>process</c> or <c>container</c>.</param>
/// <param name="ConcurrencyLimit">How many of its runs may be Pending, Running or Cancelling at once; null for no limit.</param>
/// <param name="Workers">Its workers and their last heart-beats.</param>
/// <param name="Paused">True when no run of it may be claimed.</param>
/// <param name="BaseJobTemplate">
/// The pool's job template, for pool types that make a manifest per run (<c>kubernetes</c>): <c>job_manifest</c> (a batch/v1 Job
/// with <c>{{ name }}</c> placeholders) and <c>variables</c> (a JSON schema of the job variables deployments may set). Null: the
/// worker's built-in template.
/// </param>
public sealed record WorkPoolDto(string Name, string Type, int? ConcurrencyLimit, IReadOnlyList<WorkerDto> Workers, bool Paused = false, JsonObject? BaseJobTemplate = null);
