namespace Weir.Compiler;

/// <summary>A flow file did not compile, or its <c>#:package</c> directives could not be restored.</summary>
public sealed class CompilationFailedException : Client.WeirException
{
    /// <summary>Creates the exception from formatted diagnostic lines.</summary>
    public CompilationFailedException(string sourcePath, IReadOnlyList<string> diagnostics)
        : base($"{sourcePath} did not compile:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}")
    {
        SourcePath = sourcePath;
        Diagnostics = diagnostics;
    }

    /// <summary>The file that failed.</summary>
    public string SourcePath { get; }

    /// <summary>Each error as the C# compiler words it: <c>path(line,col): error CS0103: The name 'x' does not exist in the current context</c>.</summary>
    public IReadOnlyList<string> Diagnostics { get; }
}
