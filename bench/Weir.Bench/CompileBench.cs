using System.Text.Json;
using Weir.Compiler;

namespace Weir.Bench;

/// <summary>
/// Compile costs: cold (first Roslyn compile in a fresh process), warm (later compiles in the same
/// process) and cache hit (a fresh process finding the build on disk, loading it, no Roslyn).
/// </summary>
internal static class CompileBench
{
    public const string ChildCommand = "compile-child";
    private const int Runs = 5;

    public static async Task<string> RunAsync()
    {
        var example = Path.Combine(Repo.Root, "examples", "flows", "my_flow.cs");
        var cold = new List<(double Compile, double Wall)>();
        var hit = new List<(double Compile, double Wall)>();
        for (var i = 0; i < Runs; i++)
        {
            var home = Repo.TempHome("compile");
            cold.Add(await ChildRunAsync(example, home, expectHit: false));
            hit.Add(await ChildRunAsync(example, home, expectHit: true));
        }

        // Warm: Roslyn is loaded and jitted; each compile is of new content, so each one misses the cache.
        var warmHome = Repo.TempHome("warm");
        var compiler = new FlowCompiler(new FlowCompilerOptions { WeirHome = warmHome });
        var source = await File.ReadAllTextAsync(example);
        var warm = new List<double>();
        for (var i = 0; i < Runs + 2; i++)
        {
            var file = Path.Combine(warmHome, $"flow{i}.cs");
            await File.WriteAllTextAsync(file, source + $"\n// variant {i}\n");
            var build = await compiler.CompileAsync(file, CancellationToken.None);
            if (build.CacheHit)
            {
                throw new InvalidOperationException("A changed file must not hit the cache.");
            }

            if (i >= 2)
            {
                warm.Add(build.Elapsed.TotalMilliseconds);
            }
        }

        return $"""
            ## Compile and cache

            `examples/flows/my_flow.cs`, median of {Runs}. "In-process" is what `FlowCompiler.CompileAsync` (plus
            loading the assembly, for the cache hit) took; "process" is the whole child process from start to exit.

            | case | in-process (median) | process wall time (median) |
            |---|---|---|
            | cold compile (fresh process, empty cache) | {Stats.F(Stats.Median(cold.Select(c => c.Compile)), "0")} ms | {Stats.F(Stats.Median(cold.Select(c => c.Wall)), "0")} ms |
            | warm compile (same process, new content) | {Stats.F(Stats.Median(warm), "0")} ms | — |
            | cache hit (fresh process, Roslyn not loaded) | {Stats.F(Stats.Median(hit.Select(c => c.Compile)), "0.0")} ms | {Stats.F(Stats.Median(hit.Select(c => c.Wall)), "0")} ms |
            """;
    }

    private static async Task<(double Compile, double Wall)> ChildRunAsync(string file, string home, bool expectHit)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!Environment.ProcessPath!.EndsWith("Weir.Bench", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(CompileBench).Assembly.Location);
        }

        start.ArgumentList.Add(ChildCommand);
        start.ArgumentList.Add(file);
        start.ArgumentList.Add(home);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        var result = JsonSerializer.Deserialize<JsonElement>(output);
        if (result.GetProperty("hit").GetBoolean() != expectHit)
        {
            throw new InvalidOperationException($"Expected cache hit = {expectHit}: {output}");
        }

        if (expectHit && result.GetProperty("roslynLoaded").GetBoolean())
        {
            throw new InvalidOperationException("A cache hit loaded Roslyn.");
        }

        return (result.GetProperty("ms").GetDouble(), clock.Elapsed.TotalMilliseconds);
    }

    public static async Task<int> ChildAsync(string file, string home)
    {
        var clock = Stopwatch.StartNew();
        var build = await new FlowCompiler(new FlowCompilerOptions { WeirHome = home }).CompileAsync(file, CancellationToken.None);
        using (build.Load())
        {
            clock.Stop();
        }

        var roslyn = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true);
        Console.WriteLine(JsonSerializer.Serialize(new { ms = clock.Elapsed.TotalMilliseconds, hit = build.CacheHit, roslynLoaded = roslyn }));
        return 0;
    }
}
