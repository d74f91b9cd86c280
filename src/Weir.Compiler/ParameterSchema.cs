namespace Weir.Compiler;

/// <summary>One flow parameter in a flow's recorded structure.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its type as C# spells it, fully qualified for non-keyword types outside System (e.g. <c>int</c>, <c>string[]</c>, <c>System.DateTime</c>).</param>
/// <param name="Required">True when it has no default.</param>
/// <param name="Default">The default as JSON text (<c>5</c>, <c>"x"</c>, <c>null</c>), or null when required.</param>
public sealed record ParameterSchema(string Name, string Type, bool Required, string? Default);
