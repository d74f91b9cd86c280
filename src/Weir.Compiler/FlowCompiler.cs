namespace Weir.Compiler;

/// <summary>
/// Compiles flow files. A cache hit returns the stored build without loading Roslyn: this type and
/// the cache code never touch Roslyn types; only a miss calls into the Roslyn-based builder.
/// </summary>
public sealed class FlowCompiler(FlowCompilerOptions options)
{
    /// <summary>The options in use.</summary>
    public FlowCompilerOptions Options { get; } = options;

    /// <summary>
    /// Compiles a flow file (or takes it from the cache). Throws <see cref="CompilationFailedException"/>
    /// with the compiler's own diagnostic lines, and <see cref="FileNotFoundException"/> naming a missing file.
    /// </summary>
    public Task<CompiledFlowFile> CompileAsync(string sourcePath, CancellationToken cancellationToken) =>
        throw new NotImplementedException("The compiler is being written.");
}
