namespace Weir.Compiler.Tests;

public sealed class PackageTests : IDisposable
{
    private readonly CompilerFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Package_Humanizer_IsRestoredReferencedAndLoadedInARun()
    {
        var (result, sink) = await _f.RunAsync("humanize.cs", """
            #:package Humanizer.Core@2.14.1
            using Humanizer;
            using Weir;

            public static class Humane
            {
                [Task]
                public static string Humanize(string text) => text.Humanize();

                [Flow("humane")]
                public static string Run(string text = "some_snake_case_text") => Humanize(text);
            }
            """, "humane");

        result.State.Type.ShouldBe(StateType.Completed, result.State.Message);
        result.Value.ShouldBe("some snake case text");
        sink.StatesOf("Humanize-0").ShouldBe([StateType.Pending, StateType.Running, StateType.Completed]);

        var again = await _f.CompileAsync(Path.Combine(_f.Work, "humanize.cs"));
        again.CacheHit.ShouldBeTrue();
        again.PackageAssemblyPaths.ShouldContain(p => p.EndsWith("Humanizer.dll", StringComparison.Ordinal));
    }
}
