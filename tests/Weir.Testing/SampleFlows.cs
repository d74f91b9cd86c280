namespace Weir.Testing;

/// <summary>Flow files more than one test project (and the bench) deploy.</summary>
public static class SampleFlows
{
    /// <summary>The trivial flow: <c>trivial(x = 1)</c>, one task that returns <c>x + 1</c>. Its class is <c>Trivial</c>.</summary>
    public const string Trivial = """
        using Weir;

        public static class Trivial
        {
            [Task]
            public static int AddOne(int x) => x + 1;

            [Flow("trivial")]
            public static int Run(int x = 1) => AddOne(x);
        }
        """;
}
