using Weir.Client;

namespace Weir.Compiler;

/// <summary>A flow file's build, from the cache or freshly compiled.</summary>
/// <param name="SourcePath">The source file, as given.</param>
/// <param name="CacheKey">The cache key: a hash of the sources, the package directives, the Weir version and the compiler options.</param>
/// <param name="AssemblyPath">The compiled assembly in the cache.</param>
/// <param name="PackageAssemblyPaths">Runtime assemblies of the restored <c>#:package</c> references.</param>
/// <param name="Flows">The structure of every flow in the file, in source order.</param>
/// <param name="CacheHit">True when the build came from the cache and Roslyn was not loaded.</param>
/// <param name="Elapsed">How long the compile or cache look-up took.</param>
public sealed record CompiledFlowFile(string SourcePath, string CacheKey, string AssemblyPath, IReadOnlyList<string> PackageAssemblyPaths,
    IReadOnlyList<FlowStructure> Flows, bool CacheHit, TimeSpan Elapsed)
{
    /// <summary>Loads the assembly into a new collectible load context; dispose the result to unload it.</summary>
    public LoadedFlowAssembly Load() => LoadedFlowAssembly.Load(this);

    /// <summary>
    /// Loads the build for one run: into a fresh collectible load context, or, for a build that keeps no state of
    /// its own between calls, into the one this process keeps for it (see <see cref="LoadedFlowAssembly.LoadForRun"/>).
    /// </summary>
    public LoadedFlowAssembly LoadForRun() => LoadedFlowAssembly.LoadForRun(this);
}
