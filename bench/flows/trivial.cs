// The trivial flow of the "1,000 trivial runs" benchmark: one task whose body is the Hangfire job's body
// (bench/Weir.Bench/TrivialBody.cs), so both systems run the same work per run.
using Weir;

public static class Trivial
{
    [Task]
    public static int Step(int n) => n + 1;

    [Flow("trivial")]
    public static int Run(int n = 0) => Step(n);
}
