using System.Reflection;
using System.Runtime.Loader;

namespace Weir.Compiler;

/// <summary>
/// A flow assembly loaded into its own collectible <see cref="AssemblyLoadContext"/>. The Weir SDK and
/// the framework resolve to the host's copies, so <see cref="FlowAttribute"/> is one type on both
/// sides; <c>#:package</c> assemblies load from the restore folder.
/// </summary>
public sealed class LoadedFlowAssembly : IDisposable
{
    private readonly FlowLoadContext _context;

    private LoadedFlowAssembly(FlowLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    /// <summary>The flow assembly.</summary>
    public Assembly Assembly { get; }

    internal static LoadedFlowAssembly Load(CompiledFlowFile build)
    {
        var context = new FlowLoadContext(build);
        var pdb = Path.ChangeExtension(build.AssemblyPath, ".pdb");

        // Load from bytes so the cache file is never locked and can be replaced by another build.
        using var assemblyStream = new MemoryStream(File.ReadAllBytes(build.AssemblyPath));
        using var pdbStream = File.Exists(pdb) ? new MemoryStream(File.ReadAllBytes(pdb)) : null;
        var assembly = context.LoadFromStream(assemblyStream, pdbStream);
        return new LoadedFlowAssembly(context, assembly);
    }

    /// <summary>Starts unloading the load context.</summary>
    public void Dispose() => _context.Unload();

    private sealed class FlowLoadContext(CompiledFlowFile build) : AssemblyLoadContext("weir-flow:" + Path.GetFileName(build.SourcePath), isCollectible: true)
    {
        private readonly Dictionary<string, string> _packages = build.PackageAssemblyPaths
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Anything the host already has (the SDK, the framework, logging abstractions) is shared.
            if (assemblyName.Name is null || IsLoadedByHost(assemblyName.Name))
            {
                return null;
            }

            return _packages.TryGetValue(assemblyName.Name, out var path) ? LoadFromAssemblyPath(path) : null;
        }

        private static bool IsLoadedByHost(string name) =>
            Default.Assemblies.Any(a => string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase));
    }
}
