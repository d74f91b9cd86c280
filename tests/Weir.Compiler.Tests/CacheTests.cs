namespace Weir.Compiler.Tests;

public sealed class CacheTests : CompilerTest
{
    private const string Flow = """
        using Weir;
        public static class Cached
        {
            [Task]
            public static string Say() => "one";

            [Flow("cached")]
            public static string Run() => Say();
        }
        """;

    [Fact]
    public async Task Compile_WhenSourceUnchanged_HitsTheCache()
    {
        var path = await Fixture.WriteAsync("cached.cs", Flow);

        var first = await Fixture.CompileAsync(path);
        var second = await Fixture.CompileAsync(path);

        first.CacheHit.ShouldBeFalse();
        second.CacheHit.ShouldBeTrue();
        second.CacheKey.ShouldBe(first.CacheKey);
        second.AssemblyPath.ShouldBe(first.AssemblyPath);
        second.Flows.ShouldHaveSingleItem().ShouldBe(first.Flows.Single());
    }

    [Fact]
    public async Task Compile_WhenContentChanges_MissesAndRunsTheNewCode()
    {
        var path = await Fixture.WriteAsync("cached.cs", Flow);
        var first = await Fixture.CompileAsync(path);

        var (result, _) = await Fixture.RunAsync("cached.cs", Flow.Replace("\"one\"", "\"two\"", StringComparison.Ordinal), "cached");
        var again = await Fixture.CompileAsync(path);

        again.CacheKey.ShouldNotBe(first.CacheKey);
        result.Value.ShouldBe("two");
        again.CacheHit.ShouldBeTrue();
    }

    [Fact]
    public async Task Compile_WhenOnlyAnotherFolderHasTheSameFile_SharesTheBuild()
    {
        var one = await Fixture.WriteAsync("a.cs", Flow);
        Directory.CreateDirectory(Path.Combine(Fixture.Work, "copy"));
        var two = await Fixture.WriteAsync("copy/a.cs", Flow);

        (await Fixture.CompileAsync(one)).CacheHit.ShouldBeFalse();
        (await Fixture.CompileAsync(two)).CacheHit.ShouldBeTrue();
    }

    [Fact]
    public async Task Compile_WhenOptionsDiffer_UsesAnotherBuild()
    {
        var path = await Fixture.WriteAsync("cached.cs", Flow);

        var release = await Fixture.CompileAsync(path);
        var debug = await new FlowCompiler(new FlowCompilerOptions { WeirHome = Fixture.Home, Optimize = false }).CompileAsync(path, CancellationToken.None);

        debug.CacheHit.ShouldBeFalse();
        debug.CacheKey.ShouldNotBe(release.CacheKey);
    }

    [Fact]
    public async Task Compile_WhenTheSameFileIsBuiltAtOnce_EveryCallerGetsTheBuild()
    {
        var path = await Fixture.WriteAsync("cached.cs", Flow);

        var builds = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Fixture.CompileAsync(path))));

        builds.Select(b => b.CacheKey).Distinct().ShouldHaveSingleItem();
        builds.ShouldAllBe(b => File.Exists(b.AssemblyPath));
        Directory.GetDirectories(Path.Combine(Fixture.Home, "cache", "builds")).ShouldHaveSingleItem();
        (await Fixture.CompileAsync(path)).CacheHit.ShouldBeTrue();
    }

    [Fact]
    public async Task Load_WhenDisposed_TheLoadContextUnloads()
    {
        var build = await Fixture.CompileAsync(await Fixture.WriteAsync("cached.cs", Flow));
        var weak = LoadAndDrop(build);

        for (var i = 0; weak.IsAlive && i < 20; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        weak.IsAlive.ShouldBeFalse();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference LoadAndDrop(CompiledFlowFile build)
    {
        using var loaded = build.Load();
        loaded.Assembly.GetTypes().ShouldContain(t => t.Name == "Cached");
        return new WeakReference(System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(loaded.Assembly));
    }
}
