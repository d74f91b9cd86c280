using Microsoft.Extensions.Logging;
using Weir.Engine;

namespace Weir.Tests;

/// <summary>
/// Tasks written the way the compiler rewrites them: the public method hands its body to the engine.
/// These tests cover the engine alone; the compiler's own tests cover the rewrite.
/// </summary>
internal static class Flows
{
    public static int Attempts;
    public static int FailUntilAttempt;

    private static readonly TaskDescriptor s_flaky = new("Flaky", retries: 2, retryDelaySeconds: 10, timeoutSeconds: 0, ["value"]);
    private static readonly TaskDescriptor s_boom = new("Boom", retries: 0, retryDelaySeconds: 0, timeoutSeconds: 0, []);
    private static readonly TaskDescriptor s_slow = new("Slow", retries: 0, retryDelaySeconds: 0, timeoutSeconds: 0, ["milliseconds"]);
    private static readonly TaskDescriptor s_hang = new("Hang", retries: 1, retryDelaySeconds: 0, timeoutSeconds: 0.2, []);
    private static readonly TaskDescriptor s_hangSync = new("HangSync", retries: 0, retryDelaySeconds: 0, timeoutSeconds: 0.2, []);
    private static readonly TaskDescriptor s_talk = new("Talk", retries: 0, retryDelaySeconds: 0, timeoutSeconds: 0, ["word"]);
    private static readonly TaskDescriptor s_outer = new("Outer", retries: 0, retryDelaySeconds: 0, timeoutSeconds: 0, []);

    public static int Flaky(int value) => TaskEngine.Run(s_flaky, [value], () =>
    {
        if (++Attempts < FailUntilAttempt)
        {
            throw new InvalidOperationException($"attempt {Attempts} failed");
        }

        return value * 2;
    });

    public static void Boom() => TaskEngine.Run(s_boom, [], () => throw new InvalidOperationException("boom"));

    public static Task<int> Slow(int milliseconds) => TaskEngine.RunAsync(s_slow, [milliseconds], async () =>
    {
        await Task.Delay(milliseconds);
        return milliseconds;
    });

    public static Task Hang() => TaskEngine.RunAsync(s_hang, [], async () => await Task.Delay(Timeout.Infinite, RunContext.Current!.CancellationToken));

    public static void HangSync() => TaskEngine.Run(s_hangSync, [], () => RunContext.Current!.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)));

    public static string Talk(string word) => TaskEngine.Run(s_talk, [word], () =>
    {
        Console.WriteLine("said " + word);
        Console.Error.Write("warned " + word);
        RunContext.GetRunLogger().LogInformation("logged {Word}", word);
        return word;
    });

    public static int Outer() => TaskEngine.Run(s_outer, [], () => Flaky(1) + 1);

    [Flow("retrying")]
    public static int Retrying(int value) => Flaky(value);

    [Flow("failing")]
    public static void Failing()
    {
        Console.WriteLine("before");
        Boom();
    }

    [Flow("fan-out")]
    public static async Task<int[]> FanOut(int milliseconds = 300) =>
        await Task.WhenAll(Slow(milliseconds), Slow(milliseconds), Slow(milliseconds));

    [Flow("hanging")]
    public static async Task Hanging() => await Hang();

    [Flow("hanging-sync")]
    public static void HangingSync() => HangSync();

    [Flow("talking")]
    public static async Task<string> Talking()
    {
        Console.WriteLine("flow speaks");
        var words = await Task.WhenAll(Task.Run(() => Talk("a")), Task.Run(() => Talk("b")));
        return string.Join("", words);
    }

    [Flow("nested")]
    public static int Nested() => Outer();

    [Flow("own-failure", Retries = 1)]
    public static void OwnFailure() => throw new ArgumentException("bad flow");

    [Flow("waiting")]
    public static async Task Waiting()
    {
        await Slow(50);
        await Task.Delay(Timeout.Infinite, RunContext.Current!.CancellationToken);
    }

    [Flow("typed")]
    public static string Typed(int limit, string name = "x", double ratio = 0.5, bool verbose = false, int[]? ids = null, DayOfWeek day = DayOfWeek.Monday, DateTimeOffset? when = null) =>
        $"{limit}|{name}|{ratio}|{verbose}|{(ids is null ? "-" : string.Join(",", ids))}|{day}|{when?.ToUnixTimeSeconds()}";

    public static FlowDefinition Get(string name) =>
        FlowDefinition.FindAll(typeof(Flows).Assembly).Single(f => f.Name == name);
}
