using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Weir.Compiler;

/// <summary>
/// Routes every <see cref="TaskAttribute"/> method through the engine by wrapping its body in place:
/// <c>{ body }</c> becomes <c>{ return TaskEngine.Run&lt;T&gt;(descriptor, args, () =&gt; { body }); }</c>.
/// Only text edits that add no line are made, so the rewritten file keeps every line of the
/// original (stack traces and PDBs point at the user's lines). Callers keep calling the method, so
/// plain calls, method groups, generic, private and instance tasks, and tasks calling tasks all
/// become task runs. Shapes a lambda cannot hold are reported as WEIR002 errors at their location.
/// </summary>
internal static class TaskRewriter
{
    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static SourceText Rewrite(SyntaxTree tree, SemanticModel model, string displayPath, List<string> errors)
    {
        var root = tree.GetRoot();
        var changes = new List<TextChange>();
        var descriptors = new Dictionary<TypeDeclarationSyntax, StringBuilder>();
        var index = 0;

        ReportMisplacedAttributes(root, model, displayPath, errors);

        foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (model.GetDeclaredSymbol(method) is not { } symbol
                || symbol.GetAttributes().FirstOrDefault(a => IsTaskAttribute(a.AttributeClass)) is not { } attribute)
            {
                continue;
            }

            if (!Supported(method, symbol, displayPath, errors) || HostType(method) is not { } type)
            {
                continue;
            }

            var field = $"__weir_task_{index++}";
            if (Descriptor(symbol, attribute, displayPath, errors) is not { } descriptor)
            {
                continue;
            }

            if (!descriptors.TryGetValue(type, out var fields))
            {
                descriptors[type] = fields = new StringBuilder();
            }

            fields.Append($" private static readonly global::Weir.Engine.TaskDescriptor {field} = {descriptor};");
            Wrap(method, symbol, model.Compilation, field, changes);
        }

        foreach (var (type, fields) in descriptors)
        {
            // Before the type's closing brace, on its own line: no line moves.
            changes.Add(new TextChange(new TextSpan(type.CloseBraceToken.SpanStart, 0), fields.ToString() + " "));
        }

        return tree.GetText().WithChanges(changes);
    }

    /// <summary>
    /// The type that holds a task's descriptor: the method's own type, or for a C# 14 extension block
    /// (which cannot hold fields) the static class around it.
    /// </summary>
    private static TypeDeclarationSyntax? HostType(MethodDeclarationSyntax method) =>
        method.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault(t => !t.IsKind(SyntaxKind.ExtensionBlockDeclaration));

    /// <summary>A [Task] anywhere but on a method of a type (a local function, a lambda, an operator) cannot be routed.</summary>
    private static void ReportMisplacedAttributes(SyntaxNode root, SemanticModel model, string displayPath, List<string> errors)
    {
        foreach (var attribute in root.DescendantNodes().OfType<AttributeSyntax>())
        {
            var owner = attribute.Parent?.Parent;
            if (owner is MethodDeclarationSyntax || !IsTaskAttribute(model.GetSymbolInfo(attribute).Symbol))
            {
                continue;
            }

            var (location, message) = owner switch
            {
                LocalFunctionStatementSyntax local => (local.Identifier.GetLocation(), $"'{local.Identifier}' is a local function; a [Task] must be a method of a class."),
                LambdaExpressionSyntax => (attribute.GetLocation(), "[Task] marks a lambda; a [Task] must be a method of a class."),
                _ => (attribute.GetLocation(), "[Task] can only mark a method of a class (not an operator, accessor or other member)."),
            };
            errors.Add(Error(location, displayPath, message));
        }
    }

    /// <summary>What a task run records as its arguments: the parameters, after the receiver of a C# 14 extension member.</summary>
    private static IEnumerable<IParameterSymbol> Arguments(IMethodSymbol symbol) =>
        !symbol.IsStatic && symbol.ContainingType is { IsExtension: true, ExtensionParameter: { } receiver }
            ? symbol.Parameters.Prepend(receiver)
            : symbol.Parameters;

    internal static bool IsTaskAttribute(ISymbol? symbol) =>
        (symbol is IMethodSymbol constructor ? constructor.ContainingType : symbol as INamedTypeSymbol) is { Name: "TaskAttribute", ContainingNamespace: { Name: "Weir", ContainingNamespace.IsGlobalNamespace: true } };

    private static bool Supported(MethodDeclarationSyntax method, IMethodSymbol symbol, string path, List<string> errors)
    {
        var name = symbol.Name;
        string? problem = null;
        Location location = method.Identifier.GetLocation();
        if (method.Body is null && method.ExpressionBody is null)
        {
            problem = $"[Task] method '{name}' has no body; a task must be a method with code (not abstract, partial or extern).";
        }
        else if (symbol.IsAsync && symbol.ReturnsVoid)
        {
            problem = $"[Task] method '{name}' is async void, which cannot be awaited; return Task instead.";
        }
        else if (method.DescendantNodes(n => n is not (LambdaExpressionSyntax or LocalFunctionStatementSyntax or AnonymousMethodExpressionSyntax)).OfType<YieldStatementSyntax>().Any())
        {
            problem = $"[Task] method '{name}' is an iterator (yield); return a list or array instead.";
        }
        else if (symbol.ReturnsByRef || symbol.ReturnsByRefReadonly || symbol.ReturnType.IsRefLikeType)
        {
            problem = $"[Task] method '{name}' returns by reference or a ref struct; a task's result must be an ordinary value.";
        }
        else if (symbol.ReturnType is INamedTypeSymbol { Name: "IAsyncEnumerable" or "IAsyncEnumerator" })
        {
            problem = $"[Task] method '{name}' returns IAsyncEnumerable; return a list or array instead.";
        }
        else if (!symbol.IsStatic && symbol.ContainingType.IsValueType)
        {
            problem = $"[Task] method '{name}' is an instance method of a struct, which a task run cannot capture; make it static.";
        }
        else
        {
            foreach (var parameter in Arguments(symbol))
            {
                if (parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType || parameter.Type.TypeKind == TypeKind.Pointer)
                {
                    problem = $"[Task] method '{name}' has the parameter '{parameter.Name}' that is ref, out, in, a pointer or a ref struct (such as Span<T>); task arguments must be ordinary values.";
                    location = parameter.Locations.FirstOrDefault() ?? location;
                    break;
                }
            }
        }

        if (problem is not null)
        {
            errors.Add(Error(location, path, problem));
            return false;
        }

        return true;
    }

    private static string? Descriptor(IMethodSymbol symbol, AttributeData attribute, string path, List<string> errors)
    {
        var name = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? symbol.Name;
        double retries = 0, delay = 0, timeout = 0;
        foreach (var (key, value) in attribute.NamedArguments)
        {
            switch (key)
            {
                case "Name" when value.Value is string s:
                    name = s;
                    break;
                case "Retries":
                    retries = Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
                    break;
                case "RetryDelaySeconds":
                    delay = Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
                    break;
                case "TimeoutSeconds":
                    timeout = Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
                    break;
            }
        }

        // TaskDescriptor would throw these at run time, when the type is first used; say so here instead.
        var problem = string.IsNullOrWhiteSpace(name) ? "has an empty Name; leave it out to use the method's name"
            : retries < 0 ? "has negative Retries; use 0 or more"
            : !double.IsFinite(delay) || delay < 0 ? "has a RetryDelaySeconds that is negative or not a number; use 0 or more"
            : !double.IsFinite(timeout) || timeout < 0 ? "has a TimeoutSeconds that is negative or not a number; use 0 (no limit) or more"
            : null;
        if (problem is not null)
        {
            var location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? symbol.Locations[0];
            errors.Add(Error(location, path, $"the [Task] of '{symbol.Name}' {problem}."));
            return null;
        }

        var parameters = string.Join(", ", Arguments(symbol).Select(p => Literal(p.Name)));
        return $"new global::Weir.Engine.TaskDescriptor({Literal(name)}, {(int)retries}, {Number(delay)}, {Number(timeout)}, new string[] {{ {parameters} }})";
    }

    private static void Wrap(MethodDeclarationSyntax method, IMethodSymbol symbol, Compilation compilation, string field, List<TextChange> changes)
    {
        var (call, typeArgument, asyncLambda) = Classify(symbol, compilation);
        var arguments = "new object?[] { " + string.Join(", ", Arguments(symbol).Select(p => "@" + p.Name)) + " }";
        var head = $"global::Weir.Engine.TaskEngine.{call}{(typeArgument is null ? string.Empty : "<" + typeArgument + ">")}({field}, {arguments}, {(asyncLambda ? "async " : string.Empty)}() => ";

        if (symbol.IsAsync)
        {
            // The lambda becomes async instead; blanks keep every column of the line.
            var token = method.Modifiers.First(m => m.IsKind(SyntaxKind.AsyncKeyword));
            changes.Add(new TextChange(token.Span, new string(' ', token.Span.Length)));
        }

        if (method.ExpressionBody is { } arrow && symbol.ReturnsVoid)
        {
            // A block, so `=> count++` does not pick Run<int> and record a result the method drops.
            changes.Add(new TextChange(new TextSpan(arrow.Expression.SpanStart, 0), head + "{ "));
            changes.Add(new TextChange(new TextSpan(arrow.Expression.Span.End, 0), "; })"));
        }
        else if (method.ExpressionBody is { } expression)
        {
            changes.Add(new TextChange(new TextSpan(expression.Expression.SpanStart, 0), head));
            changes.Add(new TextChange(new TextSpan(expression.Expression.Span.End, 0), ")"));
        }
        else if (method.Body is { } body)
        {
            var returns = call == "Run" && typeArgument is null ? string.Empty : "return ";
            changes.Add(new TextChange(new TextSpan(body.OpenBraceToken.Span.End, 0), $" {returns}{head}{{"));
            changes.Add(new TextChange(new TextSpan(body.CloseBraceToken.SpanStart, 0), "}); "));
        }
    }

    /// <summary>Which engine entry point a task's return type needs, and the type argument to give it.</summary>
    private static (string Call, string? TypeArgument, bool AsyncLambda) Classify(IMethodSymbol symbol, Compilation compilation)
    {
        var returnType = symbol.ReturnType;
        var task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        var taskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        var valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        var valueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        var original = returnType.OriginalDefinition;
        var argument = returnType is INamedTypeSymbol { TypeArguments.Length: 1 } named ? named.TypeArguments[0].ToDisplayString(s_typeFormat) : null;

        if (symbol.ReturnsVoid)
        {
            return ("Run", null, false);
        }

        if (SymbolEqualityComparer.Default.Equals(original, taskOfT))
        {
            return ("RunAsync", argument, symbol.IsAsync);
        }

        if (SymbolEqualityComparer.Default.Equals(returnType, task))
        {
            return ("RunAsync", null, symbol.IsAsync);
        }

        if (SymbolEqualityComparer.Default.Equals(original, valueTaskOfT))
        {
            return ("RunValueAsync", argument, symbol.IsAsync);
        }

        if (SymbolEqualityComparer.Default.Equals(returnType, valueTask))
        {
            return ("RunValueAsync", null, symbol.IsAsync);
        }

        return ("Run", returnType.ToDisplayString(s_typeFormat), false);
    }

    internal static string Error(Location location, string path, string message, string code = "WEIR002")
    {
        var position = location.GetLineSpan().StartLinePosition;
        return $"{path}({position.Line + 1},{position.Character + 1}): error {code}: {message}";
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
