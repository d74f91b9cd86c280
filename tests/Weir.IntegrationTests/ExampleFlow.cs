namespace Weir.IntegrationTests;

/// <summary>The example flow the core-loop and register tests deploy and then edit: GetData → PrintData, with an Extra task an edit may call.</summary>
internal static class ExampleFlow
{
    /// <summary>The flow file <c>flows/my_flow.cs</c>, flow <c>example</c>.</summary>
    /// <param name="printed">What PrintData prints before the numbers (<c>PRINTED: 1, 2, 3</c>).</param>
    /// <param name="member">A first member of the class (its code-first storage), or none.</param>
    /// <param name="parameter">The flow's parameter.</param>
    /// <param name="count">How many of the numbers 1 to 5 it prints: an expression, which may use the parameter.</param>
    /// <param name="extra">Code after the PrintData call.</param>
    public static string Source(string printed, string member = "", string parameter = "int limit = 5", string count = "3", string extra = "") => $$"""
        using Weir;
        public static class MyFlow
        {
            {{member}}

            [Task]
            public static int[] GetData() => [1, 2, 3, 4, 5];

            [Task]
            public static void PrintData(int[] data) => Console.WriteLine("{{printed}}: " + string.Join(", ", data));

            [Task]
            public static void Extra() => Console.WriteLine("extra task ran");

            [Flow("example")]
            public static void Example({{parameter}})
            {
                var data = GetData();
                PrintData(data[..{{count}}]);{{extra}}
            }
        }
        """;
}
