namespace Weir.Compiler;

/// <summary>The assemblies of a set of restored packages: what to compile against and what to load.</summary>
internal sealed record RestoredPackages(IReadOnlyList<string> CompileAssemblies, IReadOnlyList<string> RuntimeAssemblies)
{
    public static RestoredPackages None { get; } = new([], []);
}
