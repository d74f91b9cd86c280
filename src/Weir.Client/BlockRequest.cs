using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>Creates or replaces a block document: its fields, secret ones included (they are encrypted at rest).</summary>
public sealed record BlockRequest(JsonObject? Fields);
