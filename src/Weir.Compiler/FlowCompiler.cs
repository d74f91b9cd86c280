using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Weir.Client;

namespace Weir.Compiler;

/// <summary>
/// Compiles flow files, caching each build on disk under <c>{WeirHome}/cache/builds/{key}</c>. A cache
/// hit returns the stored build without loading Roslyn: this type and the cache code never mention
/// Roslyn types; only a miss calls into the Roslyn-based builder.
/// </summary>
public sealed class FlowCompiler(FlowCompilerOptions options)
{

    /// <summary>The options in use.</summary>
    public FlowCompilerOptions Options { get; } = options;

    /// <summary>
    /// Compiles a flow file (or takes it from the cache). Throws <see cref="CompilationFailedException"/>
    /// with the compiler's own diagnostic lines, and <see cref="FileNotFoundException"/> naming a missing file.
    /// </summary>
    public async Task<CompiledFlowFile> CompileAsync(string sourcePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        var clock = Stopwatch.StartNew();
        var source = FlowSource.Read(sourcePath);
        var key = source.CacheKey(Options.Optimize);
        var folder = Path.Combine(Options.WeirHome, "cache", "builds", key);
        if (TryReadCache(folder) is { } cached)
        {
            return new CompiledFlowFile(sourcePath, key, Path.Combine(folder, "flow.dll"), cached.PackageAssemblies, cached.Flows, CacheHit: true, clock.Elapsed);
        }

        var packages = await new PackageRestorer(Options.WeirHome, Options.Progress).RestoreAsync(source, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var flows = BuildWithRoslyn(source, packages, key, staging);
            var record = new BuildRecord(Path.GetFullPath(sourcePath), flows, packages.RuntimeAssemblies, Options.TimeProvider.GetUtcNow());
            await File.WriteAllTextAsync(Path.Combine(staging, "build.json"), JsonSerializer.Serialize(record, CacheJsonContext.Default.BuildRecord), cancellationToken).ConfigureAwait(false);
            Publish(staging, folder);
            return new CompiledFlowFile(sourcePath, key, Path.Combine(folder, "flow.dll"), packages.RuntimeAssemblies, flows, CacheHit: false, clock.Elapsed);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// Runs the cache-hit path once on a throw-away file, so that a process started ahead of its run (a
    /// worker's standby flow process) has that code compiled by the JIT before the run arrives. Never loads Roslyn.
    /// </summary>
    public static void WarmUp()
    {
        var folder = Directory.CreateTempSubdirectory("weir-warm-up-");
        try
        {
            var file = Path.Combine(folder.FullName, "warm_up.cs");
            File.WriteAllText(file, "#:package Weir.WarmUp@1.0.0\nusing Weir;\npublic static class WarmUp { }\n");
            _ = FlowSource.Read(file).CacheKey(optimize: true);
            var record = new BuildRecord(file, [new FlowStructure("warm-up", [new ParameterSchema("x", "int", false, "1")], ["Task"])], [], DateTimeOffset.UtcNow);
            var json = JsonSerializer.Serialize(record, CacheJsonContext.Default.BuildRecord);
            File.WriteAllText(Path.Combine(folder.FullName, "build.json"), json);
            File.WriteAllBytes(Path.Combine(folder.FullName, "flow.dll"), []);
            _ = TryReadCache(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Kept out of line so that compiling <see cref="CompileAsync"/> does not load Roslyn.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private IReadOnlyList<FlowStructure> BuildWithRoslyn(FlowSource source, RestoredPackages packages, string key, string outputFolder)
    {
        Options.Progress?.Invoke($"Compiling {source.Path}...");
        return RoslynBuilder.Build(source, packages, Options.Optimize, "weir_flow_" + key[..16], outputFolder);
    }

    internal static BuildRecord? TryReadCache(string folder)
    {
        var record = Path.Combine(folder, "build.json");
        if (!File.Exists(record) || !File.Exists(Path.Combine(folder, "flow.dll")))
        {
            return null;
        }

        try
        {
            var build = JsonSerializer.Deserialize(File.ReadAllText(record), CacheJsonContext.Default.BuildRecord);
            return build is not null && build.PackageAssemblies.All(File.Exists) ? build : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Moves a finished build into place; another process that got there first wins, and its build is the same.</summary>
    internal static void Publish(string staging, string folder)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        try
        {
            if (Directory.Exists(folder))
            {
                if (TryReadCache(folder) is not null)
                {
                    // Another compile published the same (deterministic) build first; leave it, a reader may be loading it.
                    return;
                }

                Directory.Delete(folder, recursive: true);
            }

            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, "build.json")))
        {
        }
    }
}
