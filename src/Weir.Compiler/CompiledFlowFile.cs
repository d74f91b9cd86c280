using Weir.Client;

namespace Weir.Compiler;

/// <summary>A flow file's build, from the cache or freshly compiled.</summary>
public sealed class CompiledFlowFile
{
    /// <summary>Creates the description of a build.</summary>
    public CompiledFlowFile(string sourcePath, string cacheKey, string assemblyPath, IReadOnlyList<string> packageAssemblyPaths, IReadOnlyList<FlowStructure> flows, bool cacheHit, TimeSpan elapsed)
    {
        SourcePath = sourcePath;
        CacheKey = cacheKey;
        AssemblyPath = assemblyPath;
        PackageAssemblyPaths = packageAssemblyPaths;
        Flows = flows;
        CacheHit = cacheHit;
        Elapsed = elapsed;
    }

    /// <summary>The source file, as given.</summary>
    public string SourcePath { get; }

    /// <summary>The cache key: a hash of the sources, the package directives, the Weir version and the compiler options.</summary>
    public string CacheKey { get; }

    /// <summary>The compiled assembly in the cache.</summary>
    public string AssemblyPath { get; }

    /// <summary>Runtime assemblies of the restored <c>#:package</c> references.</summary>
    public IReadOnlyList<string> PackageAssemblyPaths { get; }

    /// <summary>The structure of every flow in the file, in source order.</summary>
    public IReadOnlyList<FlowStructure> Flows { get; }

    /// <summary>True when the build came from the cache and Roslyn was not loaded.</summary>
    public bool CacheHit { get; }

    /// <summary>How long the compile or cache look-up took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Loads the assembly into a new collectible load context; dispose the result to unload it.</summary>
    public LoadedFlowAssembly Load() => LoadedFlowAssembly.Load(this);
}
