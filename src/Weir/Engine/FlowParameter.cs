namespace Weir.Engine;

/// <summary>One parameter of a flow, as seen by reflection on the compiled method.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its CLR type.</param>
/// <param name="IsRequired">True when it has no default value.</param>
/// <param name="DefaultValue">The default, when not required.</param>
internal sealed record FlowParameter(string Name, Type Type, bool IsRequired, object? DefaultValue)
{
    /// <summary>The type as C# spells it: <c>int</c>, <c>string[]</c>, <c>List&lt;int&gt;</c>.</summary>
    public string TypeName => TypeNames.CSharp(Type);

    /// <summary>The parameter for people: <c>limit (int, default 5)</c>.</summary>
    public string Describe() => IsRequired
        ? $"{Name} ({TypeName}, required)"
        : $"{Name} ({TypeName}, default {FormatDefault(DefaultValue)})";

    private static string FormatDefault(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
