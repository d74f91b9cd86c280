using System.CommandLine;
using System.Text.Json;
using Weir.Client;
using Weir.Engine;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir flow-run standby</c>: a flow process a worker starts before it has a run for it. It pays the
/// start-up costs ahead (the runtime, the command line, the engine and the HTTP client compiled by the
/// JIT), then waits on its standard input for one line: a JSON array whose first element is the run
/// folder and whose rest are the <c>flow-run execute</c> arguments. It runs that one run and exits;
/// no process ever runs two. When the worker goes away its pipe closes and the standby exits.
/// </summary>
internal static class FlowRunStandbyCommand
{
    public static Command Create()
    {
        var command = new Command("standby", "Wait for one flow run on standard input, warmed up (used by workers).") { Hidden = true };
        CliAction.Set(command, async (_, cancellationToken) =>
        {
            await WarmUpAsync(cancellationToken).ConfigureAwait(false);
            using var input = new StreamReader(Console.OpenStandardInput());
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(line))
            {
                return ExitCodes.Success;
            }

            var assignment = JsonSerializer.Deserialize<string[]>(line);
            if (assignment is not { Length: > 1 } || assignment[1] != "flow-run")
            {
                throw new CliError($"The standby process was handed something other than a flow run: {line}");
            }

            Directory.SetCurrentDirectory(assignment[0]);
            return await WeirCommand.InvokeAsync(assignment[1..]).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the code paths every flow run takes once, so that the JIT has compiled them before the run arrives.</summary>
    private static async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        _ = WeirCommand.Build().Parse(["flow-run", "execute", Guid.Empty.ToString(), "--source", "warm-up.cs", "--flow", "warm-up", "--params-file", "p.json"]);
        Weir.Compiler.FlowCompiler.WarmUp();
        var definition = FlowDefinition.FromMethod(typeof(WarmUpFlow).GetMethod(nameof(WarmUpFlow.Run))!);
        var values = RunCommand.ParseParameters(definition, [], """{"x": 1}""");
        _ = await new FlowEngine(new MemoryRunSink()).RunAsync(definition, values, new FlowRunOptions(), cancellationToken).ConfigureAwait(false);
        _ = JsonSerializer.Serialize(new EventBatch(), ApiJson.Options);
        if (Environment.GetEnvironmentVariable("WEIR_API_URL") is { Length: > 0 })
        {
            using var client = WeirClient.FromEnvironment();
            try
            {
                _ = await client.IsHealthyAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                // Only a warm-up: the run itself reports an unreachable server.
            }
        }
    }

    /// <summary>The flow the warm-up runs: one task, through the same engine calls compiled flows make.</summary>
    private static class WarmUpFlow
    {
        private static readonly TaskDescriptor Task = new("warm-up", 0, 0, 0, ["x"]);

        [Flow("weir-standby-warm-up")]
        public static int Run(int x) => TaskEngine.Run(Task, [x], () => x + 1);
    }
}
