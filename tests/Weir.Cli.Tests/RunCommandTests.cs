namespace Weir.Cli.Tests;

public sealed class RunCommandTests
{
    private readonly WeirCli _weir = new(TempFolder.New("weir-cli-tests-"));
    private readonly string _work = TempFolder.New("weir-cli-tests-");

    [Fact]
    public async Task Run_Example_CompletesShowingTaskStatesAndOutput()
    {
        var (exit, stdout, stderr) = await _weir.RunAsync(Repo.Root, "run", "examples/flows/my_flow.cs:example", "--param", "limit=3");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("Flow run 'example' - Beginning flow run");
        stdout.ShouldContain("Task run 'GetData-0' - Finished in state Completed");
        stdout.ShouldContain("Task run 'PrintData-0' - 1, 2, 3");
        stdout.ShouldContain("Flow run 'example' - Finished in state Completed");
        stderr.ShouldContain("Compiled examples/flows/my_flow.cs in");
        stderr.ShouldContain("Flow run 'example' completed in");
    }

    [Fact]
    public async Task Run_Twice_SecondRunIsACacheHit_AndAnEditedTaskBodyIsUsedNextRun()
    {
        var file = Path.Combine(_work, "flow.cs");
        await File.WriteAllTextAsync(file, Source("first version"));

        var first = await _weir.RunAsync(_work, "run", "flow.cs:hello");
        first.ExitCode.ShouldBe(0, first.Stderr);
        first.Stdout.ShouldContain("first version");
        first.Stderr.ShouldContain("Compiled flow.cs");

        var second = await _weir.RunAsync(_work, "run", "flow.cs:hello");
        second.ExitCode.ShouldBe(0, second.Stderr);
        second.Stderr.ShouldContain("Using the cached build of flow.cs (cache hit");

        await File.WriteAllTextAsync(file, Source("second version"));
        var third = await _weir.RunAsync(_work, "run", "flow.cs:hello");
        third.ExitCode.ShouldBe(0, third.Stderr);
        third.Stdout.ShouldContain("second version");
        third.Stdout.ShouldNotContain("first version");
        third.Stderr.ShouldContain("Compiled flow.cs");
    }

    [Fact]
    public async Task Run_OnACacheHit_DoesNotLoadTheCompiler()
    {
        var trace = new Dictionary<string, string> { ["WEIR_DEBUG_ASSEMBLIES"] = "1" };
        var first = await _weir.With(trace).RunAsync(Repo.Root, "run", "examples/flows/my_flow.cs:example");
        first.ExitCode.ShouldBe(0, first.Stderr);
        first.Stderr.ShouldContain("Microsoft.CodeAnalysis.CSharp");

        var second = await _weir.With(trace).RunAsync(Repo.Root, "run", "examples/flows/my_flow.cs:example");
        second.ExitCode.ShouldBe(0, second.Stderr);
        second.Stderr.ShouldContain("(cache hit");
        second.Stderr.ShouldContain("Loaded assemblies: ");
        second.Stderr.ShouldNotContain("Microsoft.CodeAnalysis");
        second.Stderr.ShouldNotContain("Basic.Reference.Assemblies");
    }

    [Fact]
    public async Task Run_WhenATaskFails_ExitsNonZeroNamingTheTaskAndException()
    {
        await File.WriteAllTextAsync(Path.Combine(_work, "failing.cs"), """
            using Weir;
            public static class Failing
            {
                [Task(Retries = 1)]
                public static int Divide(int a, int b) => a / b;

                [Flow("divide")]
                public static int Run(int b = 0) => Divide(10, b);
            }
            """);

        var (exit, stdout, stderr) = await _weir.RunAsync(_work, "run", "failing.cs:divide");

        exit.ShouldBe(1);
        stdout.ShouldContain("Task run 'Divide-0' - Retrying");
        stdout.ShouldContain("Task run 'Divide-0' - Finished in state Failed('DivideByZeroException: Attempted to divide by zero.')");
        stderr.ShouldContain("Flow run 'divide' ended Failed after");
        stderr.ShouldContain("Task run 'Divide-0' failed: DivideByZeroException: Attempted to divide by zero.");
    }

    [Fact]
    public async Task Run_WhenParameterIsUnknown_ExitsWithTheFlowsParameters()
    {
        var (exit, _, stderr) = await _weir.RunAsync(Repo.Root, "run", "examples/flows/my_flow.cs:example", "--param", "limt=3");

        exit.ShouldBe(2);
        stderr.ShouldContain("error: Unknown parameter 'limt' for flow 'example'. Its parameters: limit (int, default 5).");
        stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Run_WithParamsJson_BindsTypedValues()
    {
        var (exit, stdout, stderr) = await _weir.RunAsync(Repo.Root, "run", "examples/flows/my_flow.cs:example", "--params-json", """{"limit": 2}""");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("Task run 'PrintData-0' - 1, 2");
        stdout.ShouldNotContain("1, 2, 3");
    }

    [Fact]
    public async Task Run_WhenTheFileDoesNotCompile_PrintsCompilerLinesWithLocation()
    {
        await File.WriteAllTextAsync(Path.Combine(_work, "broken.cs"), "using Weir;\npublic static class Broken\n{\n    [Flow(\"b\")]\n    public static void B() => Missing();\n}\n");

        var (exit, _, stderr) = await _weir.RunAsync(_work, "run", "broken.cs:b");

        exit.ShouldBe(2);
        stderr.ShouldContain("broken.cs(5,31): error CS0103: The name 'Missing' does not exist in the current context");
    }

    [Fact]
    public async Task Run_WhenFlowNameIsWrong_ListsTheFlowsInTheFile()
    {
        var (exit, _, stderr) = await _weir.RunAsync(Repo.Root, "run", "examples/flows/my_flow.cs:nope");

        exit.ShouldBe(2);
        stderr.ShouldContain("examples/flows/my_flow.cs has no flow named 'nope'. Flows in it: example.");
    }

    [Fact]
    public async Task Run_WhenFileIsMissing_SaysWhereItLooked()
    {
        var (exit, _, stderr) = await _weir.RunAsync(_work, "run", "nowhere.cs:x");

        exit.ShouldBe(2);
        stderr.ShouldContain("Flow file 'nowhere.cs' not found (looked at " + Path.Combine(_work, "nowhere.cs") + ").");
    }

    [Fact]
    public async Task Run_WhenAFlowFormatsWithAGermanCulture_UsesTheCulturesData()
    {
        await File.WriteAllTextAsync(Path.Combine(_work, "culture.cs"), CultureFlow);

        var (exit, stdout, stderr) = await _weir.RunAsync(_work, "run", "culture.cs:culture");

        exit.ShouldBe(0, stdout + stderr);
        stdout.ShouldContain("Flow run - 1.234,50 | Sonntag, 1. März 2026");
    }

    [Fact]
    public async Task Run_UnderAFinnishLocale_FlowCodeGetsItsCulture_AndWeirsOwnTimesStayInvariant()
    {
        await File.WriteAllTextAsync(Path.Combine(_work, "current.cs"), """
            using System.Globalization;
            using Weir;
            public static class CurrentFlow
            {
                [Flow("current")]
                public static void Run() => Console.WriteLine("culture " + CultureInfo.CurrentCulture.Name + ", " + 1.5.ToString());
            }
            """);

        var (exit, stdout, stderr) = await _weir.With(new Dictionary<string, string> { ["LANG"] = "fi_FI.UTF-8", ["LC_ALL"] = "fi_FI.UTF-8" }).RunAsync(_work, "run", "current.cs");

        exit.ShouldBe(0, stdout + stderr);
        stdout.ShouldContain("Flow run - culture fi-FI, 1,5");
        // Finnish writes times as 12.00.01; Weir's log lines keep 12:00:01.234 (and its durations a decimal point).
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^\d\d:\d\d:\d\d\.\d{3} \| "));
        stderr.ShouldMatch(@"completed in \d+\.\d+ s");
    }

    [Fact]
    public async Task Run_WhenAFlowPrintsEscapeSequences_TheyAreShownEscapedAndNeverSent()
    {
        await File.WriteAllTextAsync(Path.Combine(_work, "escapes.cs"), """
            using Weir;
            public static class Escapes
            {
                [Task]
                public static void Shout() => Console.WriteLine("\u001b[2J\u001b]0;pwned\u0007cleared?");

                [Flow("escapes")]
                public static void Run()
                {
                    Shout();
                    throw new InvalidOperationException("bad \u001b[31mred");
                }
            }
            """);

        var (exit, stdout, stderr) = await _weir.RunAsync(_work, "run", "escapes.cs");

        exit.ShouldBe(1);
        stdout.ShouldContain(@"Task run 'Shout-0' - \x1b[2J\x1b]0;pwned\x07cleared?");
        stderr.ShouldContain(@"bad \x1b[31mred");
        (stdout + stderr).ShouldNotContain("\u001b");
    }

    /// <summary>A flow that needs ICU: invariant globalization has no de-DE (CultureNotFoundException).</summary>
    internal const string CultureFlow = """
        using System.Globalization;
        using Weir;
        public static class CultureFlow
        {
            [Task]
            public static string Format(double amount, string culture) =>
                amount.ToString("N2", new CultureInfo(culture)) + " | " + new DateTime(2026, 3, 1).ToString("D", new CultureInfo(culture));

            [Flow("culture")]
            public static void Run(string culture = "de-DE") => Console.WriteLine(Format(1234.5, culture));
        }
        """;

    private static string Source(string message) => $$"""
        using Weir;
        public static class Hello
        {
            [Task]
            public static string Greet(string who) => $"{{message}}: hello {who}";

            [Flow("hello")]
            public static void Run(string who = "world") => Console.WriteLine(Greet(who));
        }
        """;
}
