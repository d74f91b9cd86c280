using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Weir.Compiler;

/// <summary>
/// The Roslyn half of <see cref="FlowCompiler"/>: only a cache miss reaches this type, so a cache
/// hit never loads Roslyn. Compiles the rewritten flow file and reports errors from the original.
/// </summary>
internal static class RoslynBuilder
{
    private const string GlobalUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        global using global::Weir;
        """;

    private static readonly CSharpParseOptions s_parse = new(LanguageVersion.Preview, DocumentationMode.None);
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_framework = new(() =>
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(FlowAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
    ]);

    private static readonly SyntaxTree s_usings = CSharpSyntaxTree.ParseText(GlobalUsings, s_parse, path: "WeirGlobalUsings.g.cs", encoding: Encoding.UTF8);

    /// <summary>Compiles into <paramref name="outputFolder"/> (flow.dll, flow.pdb) and returns the flows' structures.</summary>
    public static IReadOnlyList<FlowStructure> Build(FlowSource source, RestoredPackages packages, bool optimize, string assemblyName, string outputFolder)
    {
        var fullPath = Path.GetFullPath(source.Path);
        var original = CSharpSyntaxTree.ParseText(SourceText.From(source.Text, Encoding.UTF8), s_parse, fullPath);
        var references = s_framework.Value.AddRange(packages.CompileAssemblies.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true);
        var compilation = CSharpCompilation.Create(assemblyName, [original, s_usings], references, options);
        var model = compilation.GetSemanticModel(original);

        var errors = new List<string>();
        var rewritten = original.WithChangedText(TaskRewriter.Rewrite(original, model, source.Path, errors));
        if (errors.Count > 0)
        {
            ReportOriginalErrors(compilation, source.Path, errors);
            throw new CompilationFailedException(source.Path, errors);
        }

        var flows = StructureReader.Read(original, model);
        var final = compilation.ReplaceSyntaxTree(original, rewritten);
        using var dll = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = final.Emit(dll, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
        {
            // The user's own errors, where they wrote them; rewrite errors only when the original compiles.
            ReportOriginalErrors(compilation, source.Path, errors);
            if (errors.Count == 0)
            {
                errors.AddRange(Format(result.Diagnostics, source.Path).Select(e => e + " (in Weir's task routing; please report this)"));
            }

            throw new CompilationFailedException(source.Path, errors);
        }

        Directory.CreateDirectory(outputFolder);
        File.WriteAllBytes(Path.Combine(outputFolder, "flow.dll"), dll.ToArray());
        File.WriteAllBytes(Path.Combine(outputFolder, "flow.pdb"), pdb.ToArray());
        return flows;
    }

    private static void ReportOriginalErrors(CSharpCompilation compilation, string displayPath, List<string> errors)
    {
        foreach (var line in Format(compilation.GetDiagnostics(), displayPath))
        {
            if (!errors.Contains(line))
            {
                errors.Insert(errors.Count, line);
            }
        }
    }

    /// <summary>Errors as the C# compiler words them: <c>path(line,col): error CS0103: message</c>, with the path as the user gave it.</summary>
    private static IEnumerable<string> Format(IEnumerable<Diagnostic> diagnostics, string displayPath) =>
        diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                var path = d.Location.SourceTree?.FilePath is { } file && file.EndsWith(".g.cs", StringComparison.Ordinal) ? file : displayPath;
                return d.Location.IsInSource
                    ? $"{path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"
                    : $"{displayPath}: error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
            });
}
