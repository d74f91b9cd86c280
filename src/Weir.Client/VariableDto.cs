namespace Weir.Client;

/// <summary>A named plain value.</summary>
public sealed record VariableDto(string Name, string Value, DateTimeOffset Updated);
