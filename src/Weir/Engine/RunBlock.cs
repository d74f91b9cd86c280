using System.Text.Json.Nodes;

namespace Weir.Engine;

/// <summary>A block as a run read it: its fields (secret ones revealed) and which of them are secret (redacted from the run's logs).</summary>
internal sealed record RunBlock(JsonObject Fields, IReadOnlyCollection<string> SecretFields);
