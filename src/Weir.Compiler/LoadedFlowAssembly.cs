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

    /// <summary>The builds loaded once and shared by their runs, by assembly path (see <see cref="LoadForRun"/>).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, LoadedFlowAssembly> s_shared = new(StringComparer.Ordinal);

    private readonly FlowLoadContext _context;

    private LoadedFlowAssembly(FlowLoadContext context, Assembly assembly, bool shared = false)
    {
        _context = context;
        Assembly = assembly;
        Shared = shared;
    }

    /// <summary>The flow assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>True when this load context serves every run of its build in this process (disposing it then does nothing).</summary>
    public bool Shared { get; }

    /// <summary>
    /// Loads <paramref name="build"/> for one run. A fresh collectible context per run gives each run fresh statics,
    /// but costs the run a load, the JIT of its code and an unload. A build whose code keeps no state of its own
    /// (<see cref="KeepsNoState"/>: no static field but the task descriptors and lambda caches the compilers write, no
    /// static constructor or module initializer, no <c>#:package</c> assemblies) behaves the same in a shared context,
    /// so it is loaded once per process and its runs share it; any other build gets a fresh context per run.
    /// </summary>
    internal static LoadedFlowAssembly LoadForRun(CompiledFlowFile build)
    {
        if (s_shared.TryGetValue(build.AssemblyPath, out var shared))
        {
            return shared;
        }

        var loaded = Load(build);
        if (build.PackageAssemblyPaths.Count > 0 || !KeepsNoState(loaded.Assembly))
        {
            return loaded;
        }

        if (s_shared.Count >= MaxImages)
        {
            // A context still running a flow is collected only once that run lets go of it.
            foreach (var key in s_shared.Keys)
            {
                if (s_shared.TryRemove(key, out var old))
                {
                    old._context.Unload();
                }
            }
        }

        var candidate = new LoadedFlowAssembly(loaded._context, loaded.Assembly, shared: true);
        var winner = s_shared.GetOrAdd(build.AssemblyPath, candidate);
        if (!ReferenceEquals(winner, candidate))
        {
            loaded.Dispose();
        }

        return winner;
    }

    /// <summary>
    /// True when nothing in <paramref name="assembly"/> can carry state from one run to the next: every static field is
    /// a constant, a task descriptor the Weir compiler writes (<c>__weir_task_N</c>) or a lambda cache the C# compiler
    /// writes (in its <c>&lt;&gt;c</c> classes), no type has a static constructor of its own, and there is no module initializer.
    /// </summary>
    internal static bool KeepsNoState(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException)
        {
            return false;
        }

        const BindingFlags Statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            var lambdaCache = type.Name == "<>c" && type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false);
            if (!lambdaCache && type.TypeInitializer is not null && !type.Attributes.HasFlag(TypeAttributes.BeforeFieldInit))
            {
                return false;
            }

            foreach (var field in type.GetFields(Statics))
            {
                var descriptor = field.IsInitOnly && field.FieldType == typeof(Engine.TaskDescriptor) && field.Name.StartsWith("__weir_task_", StringComparison.Ordinal);
                if (!field.IsLiteral && !descriptor && !lambdaCache)
                {
                    return false;
                }
            }

            foreach (var method in type.GetMethods(Statics))
            {
                if (method.IsDefined(typeof(System.Runtime.CompilerServices.ModuleInitializerAttribute), inherit: false))
                {
                    return false;
                }
            }
        }

        return true;
    }

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

    /// <summary>Starts unloading the load context (not a shared one: it serves the build's next runs).</summary>
    public void Dispose()
    {
        if (!Shared)
        {
            _context.Unload();
        }
    }

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
