using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>Starts a run of a deployment.</summary>
/// <param name="Parameters">Parameters that override the deployment's defaults. <value>Defaults to none.</value></param>
/// <param name="Start">When it should start. <value>Defaults to now.</value></param>
public sealed record RunRequest(JsonObject? Parameters = null, DateTimeOffset? Start = null);
