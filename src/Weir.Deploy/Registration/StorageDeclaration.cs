using System.Text.RegularExpressions;

namespace Weir.Deploy.Registration;

/// <summary>A storage a flow file declares: the object, the member holding it (<c>MyFlow.Storage</c>) and where that stands in the file.</summary>
/// <param name="Storage">The declared storage.</param>
/// <param name="Member">The static field or property, as <c>Class.Member</c>.</param>
/// <param name="File">The flow file, as given to <c>weir register</c>.</param>
/// <param name="Line">The line of the declaration, or 0 when it cannot be found in the text.</param>
internal sealed partial record StorageDeclaration(FlowStorage Storage, string Member, string File, int Line)
{
    /// <summary>How messages name it: <c>flows/my_flow.cs:5 (DockerStorage MyFlow.Storage)</c>.</summary>
    public string Where => $"{File}{(Line > 0 ? ":" + Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)} ({Storage.GetType().Name} {Member})";

    /// <summary>Finds the line that declares <paramref name="memberName"/> (a type, then the name, then '=', '{', '=>' or ';').</summary>
    public static int LineOf(string source, string memberName)
    {
        var match = new Regex($@"\b\w+[\w<>?,\s]*\s+{Regex.Escape(memberName)}\s*(=|\{{|;)", RegexOptions.None, TimeSpan.FromSeconds(1)).Match(source);
        return match.Success ? 1 + source.AsSpan(0, match.Index + match.Length).Count('\n') : 0;
    }
}
