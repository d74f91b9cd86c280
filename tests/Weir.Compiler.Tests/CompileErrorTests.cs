namespace Weir.Compiler.Tests;

public sealed class CompileErrorTests : CompilerTest
{
    [Fact]
    public async Task Compile_WhenCodeIsWrong_ReportsCompilerTextAtTheUsersLineAndColumn()
    {
        var (path, error) = await CompileFailureAsync("broken.cs", """
            #!/usr/bin/env weir
            #:package Weir@0.1.0
            using Weir;

            public static class Broken
            {
                [Task]
                public static int Count(string text) => text.Lenght;

                [Flow("b")]
                public static void Run() => Missing();
            }
            """);

        error.Diagnostics.ShouldBe(
        [
            $"{path}(8,50): error CS1061: 'string' does not contain a definition for 'Lenght' and no accessible extension method 'Lenght' accepting a first argument of type 'string' could be found (are you missing a using directive or an assembly reference?)",
            $"{path}(11,33): error CS0103: The name 'Missing' does not exist in the current context",
        ]);
        error.Message.ShouldStartWith($"{path} did not compile:");
    }

    [Fact]
    public async Task Compile_WhenDirectiveHasNoVersion_SaysHowToWriteIt()
    {
        var (path, error) = await CompileFailureAsync("directive.cs", "// flows\n  #:package Humanizer.Core\nusing Weir;\npublic static class X { }\n");

        error.Diagnostics.ShouldBe([$"{path}(2,3): error WEIR001: '#:package Humanizer.Core' needs a package name and a version; write it as #:package Name@Version (for example #:package Humanizer.Core@2.14.1)."]);
    }

    [Theory]
    [InlineData("#:frobnicate x", "error WEIR001: unknown directive '#:frobnicate'; Weir understands #:package Name@Version")]
    [InlineData("#:project ../lib/lib.csproj", "error WEIR001: Weir does not support #:project references")]
    public async Task Compile_WhenDirectiveIsNotSupported_SaysWhichAndWhere(string directive, string message)
    {
        var (path, error) = await CompileFailureAsync("directive.cs", $"#!/usr/bin/env weir\n/* a\n   flow */\n{directive}\nusing Weir;\npublic static class X {{ }}\n");

        error.Diagnostics.ShouldHaveSingleItem().ShouldStartWith($"{path}(4,1): {message}");
    }

    [Fact]
    public async Task Compile_WhenDirectivesAreIgnorableOrWeir_CompilesWithoutRestore()
    {
        var path = await Fixture.WriteAsync("ignored.cs", """
            #!/usr/bin/env weir
            #:property LangVersion=preview
            #:sdk Microsoft.NET.Sdk
            #:package Weir@9.9.9     // the running SDK, whatever the version
            #region flows
            using Weir;
            public static class X { [Flow("x")] public static int Run() => 1; }
            #endregion
            """);

        var build = await Fixture.CompileAsync(path);

        build.Flows.ShouldHaveSingleItem().Name.ShouldBe("x");
        build.PackageAssemblyPaths.ShouldBeEmpty();
        Directory.Exists(Path.Combine(Fixture.Home, "cache", "packages")).ShouldBeFalse();
    }

    [Fact]
    public async Task Compile_WhenDirectiveFollowsCode_IsTheCompilersOwnError()
    {
        // As with `dotnet run`: directives go before the first token; a '#:' line inside a string is text.
        var (path, error) = await CompileFailureAsync("late.cs", "using Weir;\n#:package Humanizer.Core@2.14.1\npublic static class X\n{\n    public const string S = \"\"\"\n#:package Not.A.Directive\n\"\"\";\n}\n");

        error.Diagnostics.ShouldBe([$"{path}(2,2): error CS9297: '#:' directives cannot be after first token in file"]);
    }

    [Fact]
    public async Task Compile_WhenPackageDoesNotExist_NamesTheDirectiveLineAndNuGetsError()
    {
        var (path, error) = await CompileFailureAsync("nopackage.cs", "// flows\n#:package Weir.Definitely.Not.A.Package@1.0.0\nusing Weir;\npublic static class X { }\n");

        error.Diagnostics.ShouldHaveSingleItem().ShouldStartWith($"{path}(2,1): error NU1101: Unable to find package Weir.Definitely.Not.A.Package.");
    }

    [Theory]
    [InlineData("public static IEnumerable<int> Numbers() { yield return 1; }", "is an iterator (yield)")]
    [InlineData("public static void Swap(ref int a) { a = 1; }", "has the parameter 'a' that is ref, out, in, a pointer or a ref struct")]
    [InlineData("public static int Sum(Span<int> values) => values.Length;", "has the parameter 'values' that is ref, out, in")]
    [InlineData("public static async void Fire() { await Task.Yield(); }", "is async void, which cannot be awaited; return Task instead.")]
    [InlineData("public static async IAsyncEnumerable<int> Stream() { await Task.Yield(); yield return 1; }", "is an iterator (yield)")]
    [InlineData("public static IAsyncEnumerable<int> Stream() => throw new NotSupportedException();", "returns IAsyncEnumerable; return a list or array instead.")]
    [InlineData("public static partial int Later(); public static partial int Later() => 1;", "has no body; a task must be a method with code (not abstract, partial or extern).")]
    [InlineData("public static void Out(out int a) { a = 1; }", "has the parameter 'a' that is ref, out, in")]
    public async Task Compile_WhenTaskShapeCannotBeRouted_GivesALocatedWeirError(string method, string problem)
    {
        var (path, error) = await CompileFailureAsync("shape.cs", $"using Weir;\npublic static partial class Shapes\n{{\n    [Task]\n    {method}\n}}\n");

        error.Diagnostics.ShouldContain(d => d.StartsWith($"{path}(5,", StringComparison.Ordinal) && d.Contains("error WEIR002: [Task] method", StringComparison.Ordinal) && d.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compile_WhenTaskIsNotAMethodOfAClass_SaysItMustBe()
    {
        var (path, error) = await CompileFailureAsync("local.cs", """
            using Weir;
            public static class L
            {
                [Flow("l")]
                public static void Run()
                {
                    [Task] static int Inner() => 1;
                    var lambda = [Task] () => 2;
                    Inner();
                }
            }

            public struct Point
            {
                [Task]
                public int Length() => 1;
            }
            """);

        error.Diagnostics.ShouldBe(
        [
            $"{path}(7,27): error WEIR002: 'Inner' is a local function; a [Task] must be a method of a class.",
            $"{path}(8,23): error WEIR002: [Task] marks a lambda; a [Task] must be a method of a class.",
            $"{path}(16,16): error WEIR002: [Task] method 'Length' is an instance method of a struct, which a task run cannot capture; make it static.",
        ]);
    }

    [Theory]
    [InlineData("Retries = -1", "has negative Retries; use 0 or more.")]
    [InlineData("TimeoutSeconds = double.NaN", "has a TimeoutSeconds that is negative or not a number")]
    [InlineData("Name = \" \"", "has an empty Name; leave it out to use the method's name.")]
    public async Task Compile_WhenTaskSettingsAreInvalid_SaysSoAtTheAttribute(string setting, string problem)
    {
        var (path, error) = await CompileFailureAsync("settings.cs", $"using Weir;\npublic static class S\n{{\n    [Task({setting})]\n    public static int One() => 1;\n}}\n");

        error.Diagnostics.ShouldHaveSingleItem().ShouldStartWith($"{path}(4,6): error WEIR002: the [Task] of 'One' {problem}");
    }

    [Fact]
    public async Task Compile_WhenFlowCannotBeRun_GivesALocatedWeirError()
    {
        var (path, error) = await CompileFailureAsync("flows.cs", """
            using Weir;
            public class F
            {
                [Flow("a")]
                public void Instance() { }

                [Flow("b")]
                public static void First() { }

                [Flow("b")]
                public static void Second() { }

                [Flow, Task]
                public static void Both() { }
            }
            """);

        error.Diagnostics.ShouldBe(
        [
            $"{path}(5,17): error WEIR004: [Flow] method 'Instance' is not static; flows are static methods, so add 'static'.",
            $"{path}(11,24): error WEIR004: two flows in this file are named 'b'; give each [Flow(\"...\")] a different name.",
            $"{path}(14,24): error WEIR004: 'Both' is marked both [Flow] and [Task]; a method is one or the other (a flow can call the task).",
        ]);
    }

    [Fact]
    public async Task Compile_WhenUserErrorAndRoutingErrorMeet_ListsBothInFileOrder()
    {
        var (path, error) = await CompileFailureAsync("both.cs", "using Weir;\npublic static class B\n{\n    [Task]\n    public static void Swap(ref int a) { a = 1; }\n\n    public static int X() => y;\n}\n");

        error.Diagnostics.Select(d => d[..d.IndexOf(':', path.Length)]).ShouldBe([$"{path}(5,37)", $"{path}(7,30)"]);
    }

    [Fact]
    public async Task Compile_WhenFileIsMissing_SaysWhereItLooked()
    {
        var error = await Should.ThrowAsync<FileNotFoundException>(() => Fixture.CompileAsync(Path.Combine(Fixture.Work, "none.cs")));
        error.Message.ShouldBe($"Flow file '{Path.Combine(Fixture.Work, "none.cs")}' not found (looked at {Path.Combine(Fixture.Work, "none.cs")}).");
    }

    /// <summary>Writes <paramref name="source"/> as <paramref name="name"/> and compiles it, which must fail; the file's path and the failure.</summary>
    private async Task<(string Path, CompilationFailedException Error)> CompileFailureAsync(string name, string source)
    {
        var path = await Fixture.WriteAsync(name, source);
        return (path, await Should.ThrowAsync<CompilationFailedException>(() => Fixture.CompileAsync(path)));
    }
}
