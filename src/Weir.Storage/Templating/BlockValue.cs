namespace Weir.Storage.Templating;

/// <summary>A block document as templating sees it: its type, its fields (secrets revealed) and which fields are secret.</summary>
public sealed record BlockValue(string Type, string Name, IReadOnlyDictionary<string, object?> Fields, IReadOnlySet<string> SecretFields);
