namespace Weir.Compiler.Tests;

public sealed class PackageTests : CompilerTest
{
    [Fact]
    public async Task Package_Humanizer_IsRestoredReferencedAndLoadedInARun()
    {
        var (result, sink) = await Fixture.RunAsync("humanize.cs", """
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

        var again = await Fixture.CompileAsync(Path.Combine(Fixture.Work, "humanize.cs"));
        again.CacheHit.ShouldBeTrue();
        again.PackageAssemblyPaths.ShouldContain(p => p.EndsWith("Humanizer.dll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Package_WhenCodeBelowDirectivesIsWrong_ReportsTheUsersLineAndColumn()
    {
        var progress = new List<string>();
        var compiler = new FlowCompiler(new FlowCompilerOptions { WeirHome = Fixture.Home, Progress = progress.Add });
        var path = await Fixture.WriteAsync("located.cs", """
            #!/usr/bin/env weir
            #:package Humanizer.Core@2.14.1
            #:package Weir@0.1.0
            using Humanizer;

            public static class Located
            {
                [Task]
                public static string Title(string text) => text.Titleize(1);
            }
            """);

        var error = await Should.ThrowAsync<CompilationFailedException>(() => compiler.CompileAsync(path, CancellationToken.None));

        error.Diagnostics.ShouldBe([$"{path}(9,53): error CS1501: No overload for method 'Titleize' takes 1 arguments"]);
        progress.ShouldContain(p => p.StartsWith("Restoring packages", StringComparison.Ordinal) && p.Contains("Humanizer.Core 2.14.1", StringComparison.Ordinal));
    }
}
