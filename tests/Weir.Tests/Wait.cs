namespace Weir.Tests;

internal static class Wait
{
    /// <summary>Polls until the condition holds; fails the test after the limit.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var start = Environment.TickCount64;
        while (!condition())
        {
            if (Environment.TickCount64 - start > timeoutMs)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            await Task.Delay(2);
        }
    }
}
