namespace Weir.Client;

/// <summary>A flow the server knows of (from a deployment or a run).</summary>
/// <param name="Name">The flow's name.</param>
/// <param name="Created">When the server first saw it.</param>
public sealed record FlowDto(string Name, DateTimeOffset Created);
