using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>Creates or updates a work pool.</summary>
/// <param name="Type">Its type (<see cref="WorkPoolTypes"/>). <value>Defaults to <c>process</c>.</value></param>
/// <param name="ConcurrencyLimit">How many of its runs may be Pending, Running or Cancelling at once; null for no limit.</param>
/// <param name="Paused">True to stop its runs from being claimed. <value>Defaults to unchanged (false for a new pool).</value></param>
/// <param name="BaseJobTemplate">Its job template (<see cref="WorkPoolDto.BaseJobTemplate"/>). <value>Defaults to unchanged (none for a new pool).</value></param>
public sealed record WorkPoolRequest(string? Type = null, int? ConcurrencyLimit = null, bool? Paused = null, JsonObject? BaseJobTemplate = null);
