using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;
using Weir.Client;

namespace Weir.Compiler;

/// <summary>
/// The Roslyn half of <see cref="FlowCompiler"/>: only a cache miss reaches this type, so a cache
/// hit never loads Roslyn. Reads the structure from the original tree, routes tasks by rewriting
/// it (<see cref="TaskRewriter"/>), and reports the user's errors from the original.
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

    // FileBasedProgram makes a '#:' line after the first token the compiler's own CS9297, as with `dotnet run`.
    private static readonly CSharpParseOptions s_parse = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.None)
        .WithFeatures([new("FileBasedProgram", "true")]);

    private static readonly Lazy<(ImmutableArray<MetadataReference> References, HashSet<string> Names)> s_host = new(() =>
    {
        var sdk = new[] { typeof(FlowAttribute).Assembly.Location, typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location };
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Concat(sdk.Select(p => MetadataReference.CreateFromFile(p)))
            .ToImmutableArray();
        var names = Basic.Reference.Assemblies.Net100.References.All.Select(r => Path.GetFileNameWithoutExtension(r.FilePath!))
            .Concat(sdk.Select(p => Path.GetFileNameWithoutExtension(p)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (references, names);
    });

    private static readonly SyntaxTree s_usings = CSharpSyntaxTree.ParseText(GlobalUsings, s_parse, path: "WeirGlobalUsings.g.cs", encoding: Encoding.UTF8);

    /// <summary>Compiles into <paramref name="outputFolder"/> (flow.dll, flow.pdb) and returns the flows' structures.</summary>
    public static IReadOnlyList<FlowStructure> Build(FlowSource source, RestoredPackages packages, bool optimize, string assemblyName, string outputFolder)
    {
        var original = CSharpSyntaxTree.ParseText(SourceText.From(source.Text, Encoding.UTF8), s_parse, Path.GetFullPath(source.Path));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true);
        var compilation = CSharpCompilation.Create(assemblyName, [original, s_usings], References(packages), options);

        var model = compilation.GetSemanticModel(original);
        var weirErrors = new List<string>();
        var flows = StructureReader.Read(original, model, source.Path, weirErrors);
        var rewritten = original.WithChangedText(TaskRewriter.Rewrite(original, model, source.Path, weirErrors));
        var errors = Format(compilation.GetDiagnostics(), source.Path).Concat(weirErrors).ToList();
        if (errors.Count > 0)
        {
            throw new CompilationFailedException(source.Path, [.. errors.OrderBy(LineOf).ThenBy(ColumnOf)]);
        }

        using var dll = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.ReplaceSyntaxTree(original, rewritten)
            .Emit(dll, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
        {
            throw new CompilationFailedException(source.Path, [.. Format(result.Diagnostics, source.Path).Select(e => e + " (in Weir's task routing; please report this with the flow file)")]);
        }

        Directory.CreateDirectory(outputFolder);
        File.WriteAllBytes(Path.Combine(outputFolder, "flow.dll"), dll.ToArray());
        File.WriteAllBytes(Path.Combine(outputFolder, "flow.pdb"), pdb.ToArray());
        return flows;
    }

    /// <summary>
    /// The framework, the SDK and the packages' compile assemblies. A package assembly with the name
    /// of a framework or SDK assembly (an older System.Text.Json, say) is dropped: the host's copy
    /// is what runs, as <see cref="LoadedFlowAssembly"/> resolves it.
    /// </summary>
    private static ImmutableArray<MetadataReference> References(RestoredPackages packages)
    {
        var (host, names) = s_host.Value;
        return host.AddRange(packages.CompileAssemblies
            .Where(p => !names.Contains(Path.GetFileNameWithoutExtension(p)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)));
    }

    private static int LineOf(string error) => Position(error).Line;

    private static int ColumnOf(string error) => Position(error).Column;

    /// <summary>The (line,col) of a formatted error, so the compiler's and Weir's errors interleave in file order.</summary>
    private static (int Line, int Column) Position(string error)
    {
        var open = error.IndexOf("): error ", StringComparison.Ordinal);
        var start = open < 0 ? -1 : error.LastIndexOf('(', open);
        var parts = start < 0 ? [] : error[(start + 1)..open].Split(',');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var line) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var column)
            ? (line, column)
            : (0, 0);
    }

    /// <summary>Errors as the C# compiler words them: <c>path(line,col): error CS0103: message</c>, with the path as the user gave it.</summary>
    private static IEnumerable<string> Format(IEnumerable<Diagnostic> diagnostics, string displayPath) =>
        diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d =>
            {
                var message = d.GetMessage(CultureInfo.InvariantCulture);
                if (!d.Location.IsInSource)
                {
                    return $"{displayPath}: error {d.Id}: {message}";
                }

                var path = d.Location.SourceTree?.FilePath is { } file && file.EndsWith(".g.cs", StringComparison.Ordinal) ? file : displayPath;
                var start = d.Location.GetLineSpan().StartLinePosition;
                return $"{path}({start.Line + 1},{start.Character + 1}): error {d.Id}: {message}";
            });
}
