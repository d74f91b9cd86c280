namespace Weir.Client;

/// <summary>Sets a variable's value.</summary>
public sealed record VariableRequest(string? Value);
