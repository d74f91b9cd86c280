namespace Weir.Client;

/// <summary>One flow parameter in a flow's recorded structure.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">
/// Its type as C# spells it: keywords for built-in types, <c>T?</c> for nullable ones, and other types
/// by their own name without namespace (<c>int</c>, <c>string[]</c>, <c>int?</c>, <c>DateTime</c>,
/// <c>List&lt;string&gt;</c>), the way <c>Weir.Engine.TypeNames</c> spells the runtime type. Namespaces
/// are left out so that adding a <c>using</c> or moving a type between namespaces does not change it.
/// </param>
/// <param name="Required">True when it has no default.</param>
/// <param name="Default">The default as JSON text (<c>5</c>, <c>"x"</c>, <c>null</c>), or null when required.</param>
public sealed record ParameterSchema(string Name, string Type, bool Required, string? Default);
