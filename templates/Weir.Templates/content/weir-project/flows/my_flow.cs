#:package Weir@WEIR_VERSION
// A Weir flow. Run the flow:  weir run flows/my_flow.cs:example --param limit=3
// See what a deployment records:  weir inspect flows/my_flow.cs
// Through the #:package line above, editors (and dotnet build flows/my_flow.cs) build this file as a .NET file-based
// program with the Weir package: IntelliSense and diagnostics without a project file.
using Weir;

public static class MyFlow
{
    [Task(Retries = 2, RetryDelaySeconds = 1)]
    public static int[] GetData() => [1, 2, 3, 4, 5];

    [Task]
    public static void PrintData(int[] data) => Console.WriteLine(string.Join(", ", data));

    [Flow("example")]
    public static void Run(int limit = 5)
    {
        var data = GetData();
        PrintData(data[..limit]);
    }
}
