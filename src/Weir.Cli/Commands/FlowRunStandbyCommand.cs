using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Weir.Client;
using Weir.Engine;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir flow-run standby</c>: a flow process a worker starts before it has a run for it. It pays the
/// start-up costs ahead (the runtime, the command line, the engine and the HTTP client compiled by the
/// JIT), then waits on its standard input for one line: a JSON array whose first element is the run
/// folder and whose rest are the <c>flow-run execute</c> arguments. It runs that run and exits, or, with
/// <c>--runs N</c> (the worker's <c>--runs-per-process</c>), ends each of up to N runs with a marker line
/// on both output streams and waits for the next. When the worker goes away its pipe closes and the
/// standby exits.
/// </summary>
internal static class FlowRunStandbyCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "How many runs to take, one after another; each ends with a marker line instead of an exit.", DefaultValueFactory = _ => 1 };
        var command = new Command("standby", "Wait for flow runs on standard input, warmed up (used by workers).") { runs };
        command.Hidden = true;
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var most = Math.Max(1, parse.GetValue(runs));
            await WarmUpAsync(cancellationToken).ConfigureAwait(false);
            using var input = new StreamReader(Console.OpenStandardInput());
            for (var served = 1; ; served++)
            {
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
                var code = await WeirCommand.InvokeAsync(assignment[1..]).ConfigureAwait(false);
                if (served >= most)
                {
                    return code;
                }

                // The worker takes the run as ended once both streams carry the marker (all its lines came first).
                var marker = Weir.Worker.FlowProcess.RunEndedMarker + code.ToString(CultureInfo.InvariantCulture);
                await Console.Out.WriteLineAsync(marker).ConfigureAwait(false);
                await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Console.Error.WriteLineAsync(marker).ConfigureAwait(false);
                await Console.Error.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
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
