using System.Globalization;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Weir.Client;

namespace Weir.Compiler;

/// <summary>
/// Reads each flow's structure from the original (not rewritten) code: its parameters from the
/// method's symbol, and the tasks it calls in call order (a call's arguments before the call, so
/// <c>Transform(Extract())</c> is Extract, Transform): invocations and method groups in the flow's body,
/// following helper methods of the same file once each.
/// </summary>
internal static class StructureReader
{
    private static readonly SymbolDisplayFormat s_typeFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Reads every flow in source order; adds located WEIR004 errors for flows the engine could not run.</summary>
    public static IReadOnlyList<FlowStructure> Read(SyntaxTree tree, SemanticModel model, string displayPath, List<string> errors)
    {
        var flows = new List<FlowStructure>();
        foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (model.GetDeclaredSymbol(method) is not { } symbol
                || symbol.GetAttributes().FirstOrDefault(a => IsFlowAttribute(a.AttributeClass)) is not { } attribute)
            {
                continue;
            }

            var name = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? symbol.Name;
            var problem = Problem(symbol, name, flows);
            if (problem is not null)
            {
                errors.Add(TaskRewriter.Error(method.Identifier.GetLocation(), displayPath, problem, "WEIR004"));
                continue;
            }

            var parameters = symbol.Parameters.Select(p => new ParameterSchema(
                p.Name,
                p.Type.ToDisplayString(s_typeFormat),
                !p.HasExplicitDefaultValue,
                p.HasExplicitDefaultValue ? DefaultJson(p) : null)).ToList();
            var tasks = new List<string>();
            CollectTasks(method, model, tasks, [symbol]);
            flows.Add(new FlowStructure(name, parameters, tasks));
        }

        return flows;
    }

    private static string? Problem(IMethodSymbol symbol, string name, List<FlowStructure> earlier)
    {
        if (!symbol.IsStatic)
        {
            return $"[Flow] method '{symbol.Name}' is not static; flows are static methods, so add 'static'.";
        }

        if (symbol.GetAttributes().Any(a => TaskRewriter.IsTaskAttribute(a.AttributeClass)))
        {
            return $"'{symbol.Name}' is marked both [Flow] and [Task]; a method is one or the other (a flow can call the task).";
        }

        if (symbol.IsGenericMethod || symbol.ContainingType.IsGenericType)
        {
            return $"[Flow] method '{symbol.Name}' is generic or sits in a generic type, so the engine cannot call it; use concrete types.";
        }

        return earlier.Any(f => f.Name == name)
            ? $"two flows in this file are named '{name}'; give each [Flow(\"...\")] a different name."
            : null;
    }

    /// <summary>
    /// Adds the tasks <paramref name="body"/> calls, in call order: the order C# runs them, which is document
    /// order except that a call's receiver and arguments run before the call itself, so <c>Transform(Extract())</c>
    /// records Extract, then Transform. Lambdas are walked where they stand; local functions and helper methods of
    /// this file are followed where they are called (or passed as a method group), once each. Other flows are not followed.
    /// </summary>
    private static void CollectTasks(SyntaxNode body, SemanticModel model, List<string> tasks, HashSet<IMethodSymbol> visited) =>
        Walk(body, body, model, tasks, visited);

    private static void Walk(SyntaxNode node, SyntaxNode body, SemanticModel model, List<string> tasks, HashSet<IMethodSymbol> visited)
    {
        if (node is LocalFunctionStatementSyntax && node != body)
        {
            return;
        }

        if (node is InvocationExpressionSyntax invocation)
        {
            // What C# evaluates first: the receiver (a.B() evaluates a), then the arguments; then it makes the call.
            var name = invocation.Expression switch
            {
                MemberAccessExpressionSyntax member => member.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                SimpleNameSyntax simple => simple,
                _ => null,
            };
            if (invocation.Expression is MemberAccessExpressionSyntax access)
            {
                Walk(access.Expression, body, model, tasks, visited);
            }
            else if (name is null)
            {
                Walk(invocation.Expression, body, model, tasks, visited);
            }

            Walk(invocation.ArgumentList, body, model, tasks, visited);
            if (name is not null)
            {
                Consider(name, body, model, tasks, visited);
            }

            return;
        }

        if (node is IdentifierNameSyntax or GenericNameSyntax)
        {
            Consider(node, body, model, tasks, visited);
        }

        foreach (var child in node.ChildNodes())
        {
            Walk(child, body, model, tasks, visited);
        }
    }

    /// <summary>A name that may be a task (recorded) or a helper of this file (followed).</summary>
    private static void Consider(SyntaxNode node, SyntaxNode body, SemanticModel model, List<string> tasks, HashSet<IMethodSymbol> visited)
    {
        // A call (GetData()) or a method group (items.Select(GetData)) both name the method.
        if ((node.Parent is MemberAccessExpressionSyntax { Name: var name } && name != node) || IsInsideNameof(node))
        {
            return;
        }

        if (model.GetSymbolInfo(node).Symbol is not IMethodSymbol target)
        {
            return;
        }

        target = (target.ReducedFrom ?? target).OriginalDefinition;
        if (target.GetAttributes().FirstOrDefault(a => TaskRewriter.IsTaskAttribute(a.AttributeClass)) is { } task)
        {
            tasks.Add(TaskName(target, task));
        }
        else if (!target.GetAttributes().Any(a => IsFlowAttribute(a.AttributeClass))
            && visited.Add(target)
            && target.DeclaringSyntaxReferences.FirstOrDefault(r => r.SyntaxTree == body.SyntaxTree) is { } reference)
        {
            CollectTasks(reference.GetSyntax(), model, tasks, visited);
        }
    }

    private static bool IsInsideNameof(SyntaxNode node) =>
        node.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" });

    private static string TaskName(IMethodSymbol method, AttributeData attribute) =>
        attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string
        ?? attribute.ConstructorArguments.FirstOrDefault().Value as string
        ?? method.Name;

    private static bool IsFlowAttribute(INamedTypeSymbol? type) =>
        type is { Name: "FlowAttribute", ContainingNamespace: { Name: "Weir", ContainingNamespace.IsGlobalNamespace: true } };

    private static string DefaultJson(IParameterSymbol parameter)
    {
        var value = parameter.ExplicitDefaultValue;
        if (value is not null && parameter.Type.TypeKind == TypeKind.Enum)
        {
            var member = parameter.Type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            return JsonSerializer.Serialize(member?.Name ?? Convert.ToString(value, CultureInfo.InvariantCulture));
        }

        return value switch
        {
            null => "null",
            string s => JsonSerializer.Serialize(s),
            char c => JsonSerializer.Serialize(c.ToString()),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => JsonSerializer.Serialize(value.ToString()),
        };
    }
}
