namespace Weir.Client;

/// <summary>A block type: its slug, fields, and which of them are secret.</summary>
public sealed record BlockTypeDto(string Slug, string Description, IReadOnlyList<string> Fields, IReadOnlyList<string> SecretFields);
