namespace Weir.Bench;

/// <summary>
/// The job body of the Hangfire and Quartz.NET side: the task body of the Weir trivial flow
/// (<see cref="BenchDeploy.TrivialFlow"/>, <c>x + 1</c>), plus a call count, to check every job ran once and
/// to stamp the moment the last expected one did.
/// </summary>
public static class TrivialBody
{
    private static int s_calls;
    private static int s_expected;
    private static long s_reachedAt;
    private static TaskCompletionSource s_reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static int Calls => Volatile.Read(ref s_calls);

    /// <summary>Completes at the call that brings the count to what <see cref="Expect"/> was told.</summary>
    public static Task Reached => Volatile.Read(ref s_reached).Task;

    /// <summary>The <see cref="Stopwatch"/> timestamp of that call.</summary>
    public static long ReachedAt => Volatile.Read(ref s_reachedAt);

    /// <summary>Starts a new count that expects <paramref name="calls"/> calls.</summary>
    public static void Expect(int calls)
    {
        Volatile.Write(ref s_reached, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Volatile.Write(ref s_reachedAt, 0);
        Volatile.Write(ref s_expected, calls);
        Volatile.Write(ref s_calls, 0);
    }

    public static int AddOne(int x)
    {
        if (Interlocked.Increment(ref s_calls) == Volatile.Read(ref s_expected))
        {
            Volatile.Write(ref s_reachedAt, Stopwatch.GetTimestamp());
            Volatile.Read(ref s_reached).TrySetResult();
        }

        return x + 1;
    }
}
