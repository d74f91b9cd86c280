namespace Weir.Bench;

/// <summary>The job body of the Hangfire side: the task body of the Weir trivial flow (<see cref="WorkerBench.TrivialFlow"/>, <c>x + 1</c>), plus a call count to check every job ran once.</summary>
public static class TrivialBody
{
    private static int s_calls;

    public static int Calls => Volatile.Read(ref s_calls);

    public static void Reset() => Volatile.Write(ref s_calls, 0);

    public static int AddOne(int x)
    {
        Interlocked.Increment(ref s_calls);
        return x + 1;
    }
}
