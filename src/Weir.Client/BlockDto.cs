using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>A block document. Secret fields read <c>********</c> unless revealed to a caller allowed to see them.</summary>
public sealed record BlockDto(string Type, string Name, JsonObject Fields, IReadOnlyList<string> SecretFields, DateTimeOffset Created, DateTimeOffset Updated);
