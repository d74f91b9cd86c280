using System.Reflection;
using System.Runtime.Loader;

namespace Weir.Compiler;

/// <summary>
/// A flow assembly loaded into its own collectible <see cref="AssemblyLoadContext"/>. The Weir SDK,
/// its logging abstractions and the framework resolve to the host's copies, so
/// <see cref="FlowAttribute"/> is one type on both sides; <c>#:package</c> assemblies load from the
/// NuGet folder into the flow's context (so a flow gets the version it asked for even when the
/// host has another); anything else falls back to the host.
/// </summary>
public sealed class LoadedFlowAssembly : IDisposable
{
    private static readonly string s_framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static readonly HashSet<string> s_sdk = new(
        [typeof(FlowAttribute).Assembly.GetName().Name!, typeof(Microsoft.Extensions.Logging.ILogger).Assembly.GetName().Name!],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>How many builds' bytes a process keeps (a worker running many deployments); beyond it the cache starts over.</summary>
    private const int MaxImages = 64;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (byte[] Image, byte[]? Symbols)> s_images = new(StringComparer.Ordinal);

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

        // Load from bytes so the cache file is never locked and can be replaced by another build. A build in the
        // cache never changes (its folder is named by its hash), so a process that runs it again reuses the bytes.
        var (image, symbols) = s_images.GetOrAdd(build.AssemblyPath, static (path, pdb) => (File.ReadAllBytes(path), File.Exists(pdb) ? File.ReadAllBytes(pdb) : null), pdb);
        if (s_images.Count > MaxImages)
        {
            s_images.Clear();
        }

        using var assemblyStream = new MemoryStream(image, writable: false);
        using var pdbStream = symbols is null ? null : new MemoryStream(symbols, writable: false);
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
            // The framework and the SDK are the host's (one FlowAttribute, one ILogger); a package's
            // own copy of a framework assembly is dropped, as it is at compile time.
            if (assemblyName.Name is not { } name || IsShared(name))
            {
                return null;
            }

            return _packages.TryGetValue(name, out var path) ? LoadFromAssemblyPath(path) : null;
        }

        private static bool IsShared(string name) =>
            s_sdk.Contains(name) || File.Exists(Path.Combine(s_framework, name + ".dll"));
    }
}
