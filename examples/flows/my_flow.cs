// The seed documents' first flow, in C#: get some data, print it.
// Run it:  weir run examples/flows/my_flow.cs:example --param limit=3
using Weir;

public static class MyFlow
{
    [Task]
    public static int[] GetData() => [1, 2, 3, 4, 5];

    [Task]
    public static void PrintData(int[] data) => Console.WriteLine(string.Join(", ", data));

    [Flow("example")]
    public static void Example(int limit = 5)
    {
        var data = GetData();
        PrintData(data[..limit]);
    }
}
