namespace Weir.Compiler.Tests;

/// <summary>
/// Which builds may share one load context between runs: only those whose code keeps no state of its own, so a run
/// sees exactly what a fresh context would give it. Anything with a static field of its own, a static constructor or a
/// module initializer gets a fresh context (fresh statics) per run.
/// </summary>
public sealed class SharedLoadTests : CompilerTest
{
    private const string Stateless = """
        using Weir;
        public static class Stateless
        {
            private const int Offset = 1;

            [Task]
            public static int AddOne(int x) => x + Offset;

            [Flow("stateless")]
            public static int Run(int x = 1) => new[] { x }.Select(v => AddOne(v)).Sum();
        }
        """;

    [Theory]
    [InlineData("private static int _calls;", "a static field")]
    [InlineData("public static int Calls { get; set; }", "a static property (its backing field)")]
    [InlineData("private static readonly List<int> Seen = [];", "a static readonly field of a mutable type")]
    [InlineData("private static readonly string Greeting = \"hi\";", "a static readonly field even of an immutable type (its initializer may not be deterministic)")]
    [InlineData("static Holder() { Console.WriteLine(\"loaded\"); }", "a static constructor")]
    [InlineData("[System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { }", "a module initializer")]
    [InlineData("[ThreadStatic] private static int _perThread;", "a thread-static field")]
    public async Task ABuildWithStateOfItsOwn_GetsAFreshContextPerRun(string member, string what)
    {
        var build = await Fixture.CompileAsync(await Fixture.WriteAsync("stateful.cs", $$"""
            using Weir;
            public static class Holder
            {
                {{member}}

                [Flow("stateful")]
                public static int Run() => 1;
            }
            """));

        using var first = build.LoadForRun();
        using var second = build.LoadForRun();

        LoadedFlowAssembly.KeepsNoState(first.Assembly).ShouldBeFalse(what);
        first.Shared.ShouldBeFalse(what);
        second.Assembly.ShouldNotBeSameAs(first.Assembly, what);
    }

    [Fact]
    public async Task ABuildThatKeepsNoState_IsLoadedOnceAndSharedByItsRuns()
    {
        var build = await Fixture.CompileAsync(await Fixture.WriteAsync("stateless.cs", Stateless));

        var first = build.LoadForRun();
        var second = build.LoadForRun();
        first.Dispose();

        LoadedFlowAssembly.KeepsNoState(first.Assembly).ShouldBeTrue("constants, task descriptors and lambda caches carry nothing between runs");
        first.Shared.ShouldBeTrue();
        second.Assembly.ShouldBeSameAs(first.Assembly);
        build.LoadForRun().Assembly.ShouldBeSameAs(first.Assembly, "disposing a shared load does not unload it");
    }
}
