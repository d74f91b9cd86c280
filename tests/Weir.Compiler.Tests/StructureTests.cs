using Weir.Client;

namespace Weir.Compiler.Tests;

public sealed class StructureTests : CompilerTest
{
    private const string Base = """
        using Weir;
        public static class S
        {
            [Task]
            public static int[] GetData() => [1, 2, 3];

            [Task(Name = "print")]
            public static void PrintData(int[] data) => Console.WriteLine(data.Length);

            [Task]
            public static int Clean(int x) => x;

            [Flow("example")]
            public static void Example(int limit = 5, string label = "x", DayOfWeek day = DayOfWeek.Friday)
            {
                var data = GetData();
                PrintData(data[..limit]);
            }
        }
        """;

    private async Task<FlowStructure> StructureAsync(string source, string? flow = null) =>
        (await Fixture.CompileAsync(await Fixture.WriteAsync($"s{Guid.NewGuid():N}.cs", source))).Flows.Single(f => flow is null || f.Name == flow);

    [Fact]
    public async Task Structure_ReadsParametersAndTasksInOrder()
    {
        var structure = await StructureAsync(Base);

        structure.Name.ShouldBe("example");
        structure.Parameters.ShouldBe([new("limit", "int", false, "5"), new("label", "string", false, "\"x\""), new("day", "DayOfWeek", false, "\"Friday\"")]);
        structure.Tasks.ShouldBe(["GetData", "print"]);
        structure.Hash.Length.ShouldBe(64);
    }

    [Theory]
    [InlineData("var data = GetData();", "var data = GetData(); // comment\n\n   ")]
    [InlineData("public static int Clean(int x) => x;", "public static int Clean(int x) => x * 2 + 1; /* body edit */")]
    [InlineData("=> [1, 2, 3];", "=> [4, 5, 6, 7];")]
    [InlineData("var data = GetData();\n        PrintData(data[..limit]);", "PrintData(GetData()[..limit]);")] // the same calls in the same call order
    public async Task Structure_WhitespaceCommentsAndTaskBodies_KeepTheHash(string from, string to)
    {
        (await StructureAsync(Base.Replace(from, to, StringComparison.Ordinal))).Hash.ShouldBe((await StructureAsync(Base)).Hash);
    }

    [Theory]
    [InlineData("int limit = 5", "short limit = 5")]
    [InlineData("int limit = 5", "int limit = 6")]
    [InlineData("string label = \"x\"", "string name = \"x\"")]
    [InlineData("string label = \"x\", ", "")]
    [InlineData("PrintData(data[..limit]);", "PrintData(data[..limit]); Clean(1);")]
    [InlineData("var data = GetData();\n        PrintData(data[..limit]);", "PrintData([]);\n        var data = GetData();")]
    [InlineData("[Task(Name = \"print\")]", "[Task(Name = \"show\")]")]
    public async Task Structure_ParameterOrTaskCallChanges_ChangeTheHash(string from, string to)
    {
        var changed = Base.Replace(from, to, StringComparison.Ordinal);
        changed.ShouldNotBe(Base);
        (await StructureAsync(changed)).Hash.ShouldNotBe((await StructureAsync(Base)).Hash);
    }

    [Fact]
    public async Task Structure_FollowsHelpersAndMethodGroups()
    {
        var structure = await StructureAsync("""
            using Weir;
            public static class H
            {
                [Task] public static Task<int> Fetch(string city) => Task.FromResult(city.Length);
                [Task] public static double Average(int[] values) => values.Average();
                static Task<int[]> FetchAll(string[] cities) => Task.WhenAll(cities.Select(Fetch));

                [Flow("fan")]
                public static async Task<double> Run(string[] cities) => Average(await FetchAll(cities));
            }
            """);

        structure.Tasks.ShouldBe(["Fetch", "Average"]); // FetchAll's Fetch runs first: it is Average's argument
        structure.Parameters.ShouldBe([new("cities", "string[]", true, null)]);
    }

    [Fact]
    public async Task Structure_NestedCalls_RecordTasksInCallOrder_ArgumentsAndReceiversBeforeTheCall()
    {
        var structure = await StructureAsync("""
            using Weir;
            public static class P
            {
                [Task] public static int[] Extract() => [1, 2];
                [Task] public static int[] Transform(int[] rows) => rows;
                [Task] public static void Load(int[] rows) { }
                [Task] public static string Name() => "n";
                [Task] public static int Count(string name, int[] rows) => rows.Length;

                [Flow("etl")]
                public static void Etl()
                {
                    Load(Transform(Extract()));
                    var count = Count(Name(), Transform(Extract()));
                    Extract().ToList().ForEach(_ => Load([]));
                }
            }
            """);

        structure.Tasks.ShouldBe(["Extract", "Transform", "Load", "Name", "Extract", "Transform", "Count", "Extract", "Load"]);
    }

    [Fact]
    public async Task Structure_LocalFunctionsLoopsNameofAndSubflows_CountEachCallSiteOnce()
    {
        var structure = await StructureAsync("""
            using Weir;
            public static class K
            {
                [Task] public static int A() => 1;
                [Task] public static int B() => 2;
                [Task] public static int C() => 3;

                [Flow("child")]
                public static int Child() => C();

                [Flow("parent")]
                public static int Parent(int? limit = null, string? label = null, List<string>? names = null)
                {
                    var total = Helper();
                    for (var i = 0; i < 3; i++)
                    {
                        total += B();
                    }

                    Console.WriteLine(nameof(C));
                    return total + Child();

                    int Helper() => A();
                }
            }
            """, "parent");

        structure.Tasks.ShouldBe(["A", "B"]);
        structure.Parameters.Select(p => $"{p.Name}: {p.Type} = {p.Default}").ShouldBe(["limit: int? = null", "label: string? = null", "names: List<string>? = null"]);
    }

    [Fact]
    public async Task Structure_DefaultsAreJson()
    {
        var structure = await StructureAsync("""
            using Weir;
            public static class D
            {
                [Flow("d")]
                public static void Run(double ratio = 0.5, bool on = true, string quote = "say \"hi\"\n", char c = 'x', long big = 9007199254740993, decimal money = 1.25m, DayOfWeek day = (DayOfWeek)42) { }
            }
            """);

        structure.Parameters.Select(p => p.Default).ShouldBe(["0.5", "true", "\"say \\u0022hi\\u0022\\n\"", "\"x\"", "9007199254740993", "1.25", "\"42\""]);
    }
}
