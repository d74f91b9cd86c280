using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Weir.Compiler;

/// <summary>
/// The blocks a flow file's code reads by a literal name: <c>Secret.GetAsync("NAME")</c> gives <c>NAME</c>, and
/// <c>Block.GetAsync&lt;T&gt;("TYPE", "NAME")</c> gives <c>TYPE/NAME</c>, the entries of a deployment's <c>blocks:</c>
/// list that let its runs' tokens read them. A name that is not a literal (a variable, an interpolation) cannot be
/// known before the run and is left out.
/// </summary>
public static class BlockReads
{
    /// <summary>The <c>blocks:</c> entries <paramref name="source"/> needs, in the order first read, each once.</summary>
    public static IReadOnlyList<string> Find(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview).WithFeatures([new("FileBasedProgram", "true")])).GetRoot();
        var found = new List<string>();
        foreach (var call in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (call.Expression is not MemberAccessExpressionSyntax { Expression: var target, Name: var method })
            {
                continue;
            }

            var type = target switch
            {
                IdentifierNameSyntax id => id.Identifier.Text,
                QualifiedNameSyntax q => q.Right.Identifier.Text,
                MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
                _ => null,
            };
            var literals = call.ArgumentList.Arguments
                .Select(a => a.Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } l ? l.Token.ValueText : null)
                .ToList();
            var entry = (type, method.Identifier.Text, literals) switch
            {
                ("Secret", "GetAsync", [{ } name, ..]) => name,
                ("Block", "GetAsync", [{ } blockType, { } name, ..]) => blockType + "/" + name,
                _ => null,
            };
            if (entry is not null && !found.Contains(entry, StringComparer.Ordinal))
            {
                found.Add(entry);
            }
        }

        return found;
    }
}
