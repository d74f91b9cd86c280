using System.Diagnostics;

namespace Weir.Testing;

/// <summary>Waiting for something another process or thread does.</summary>
public static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> (50 ms) until it holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/> (10 s).</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, interval);

    /// <inheritdoc cref="UntilAsync(Func{bool}, string, TimeSpan?, TimeSpan?)"/>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting until {what}.");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        }
    }

    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> (20 ms) until it holds or <paramref name="timeout"/> has passed; whether it holds (the caller asserts, with its own message).</summary>
    public static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null) =>
        await ValueAsync(() => Task.FromResult(condition()), done => done, timeout, interval ?? TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);

    /// <summary>
    /// Probes every <paramref name="interval"/> (200 ms) until <paramref name="done"/> holds for the value or
    /// <paramref name="timeout"/> has passed, and returns the last value: the caller's assertion on it says what went wrong.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe().ConfigureAwait(false);
            if (done(value) || clock.Elapsed > timeout)
            {
                return value;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        }
    }
}
