using Weir.Engine;

namespace Weir.Server.Tests;

/// <summary>A flow for the sink tests: calls a task many times through the engine (what compiled flows do).</summary>
public static class SinkFlows
{
    public static int Tasks { get; set; } = 100;

    private static readonly TaskDescriptor s_step = new("Step", 0, 0, 0, ["i"]);

    [Flow("sink-test")]
    public static int Many()
    {
        var total = 0;
        for (var i = 0; i < Tasks; i++)
        {
            var value = i;
            total += TaskEngine.Run(s_step, [value], () =>
            {
                Console.WriteLine($"step {value}");
                return value;
            });
        }

        return total;
    }
}
