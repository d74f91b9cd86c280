using System.CommandLine;
using Weir.Cli.Output;
using Weir.Compiler;
using Weir.Engine;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir flow-run execute RUN_ID --source FILE --flow NAME</c>: what a worker runs in a child
/// process for one flow run, from the folder the pull steps left. Loads the build the worker
/// compiled (a cache hit, no Roslyn), binds the parameters and runs the flow, reporting states and
/// logs through <see cref="SinkFactory"/>. Without <c>--source</c> (as in a container) it prepares
/// the run itself first: fetches it and its deployment, runs the pull steps, compiles.
/// Exit codes: 0 Completed, 1 Failed or Cancelled, 2 could not start.
/// </summary>
internal static class FlowRunExecuteCommand
{
    /// <summary>Creates the sink for a run; the server client replaces the terminal printer when a server is configured.</summary>
    public static Func<Guid, IRunSink> SinkFactory { get; set; } = _ => Environment.GetEnvironmentVariable("WEIR_API_URL") is { Length: > 0 }
        ? new Weir.Worker.Hosting.ServerRunSink(new Weir.Client.WeirClient(Weir.Client.WeirClient.FromEnvironment().BaseUrl, Environment.GetEnvironmentVariable("WEIR_API_KEY")) { RetryUnavailable = TimeSpan.FromMinutes(2) })
        : new TerminalRunSink(Terminal.Out, verbose: false);

    public static Command Create()
    {
        var runId = new Argument<Guid>("flow-run-id") { Description = "The flow run's id." };
        var source = new Option<string?>("--source") { Description = "The flow file, relative to the current folder. Without it the run's own pull steps fetch the code (as in a container)." };
        var flow = new Option<string?>("--flow") { Description = "The flow's name (with --source)." };
        var paramsJson = new Option<string?>("--params-json") { Description = "The run's parameters as a JSON object." };
        var paramsFile = new Option<string?>("--params-file") { Description = "A file holding the run's parameters as a JSON object (what workers pass)." };
        var retries = new Option<int?>("--retries") { Description = "Flow-level retries (the deployment's setting)." };
        var retryDelay = new Option<double?>("--retry-delay-seconds") { Description = "Seconds between flow retries." };
        var buildId = new Option<string?>("--build-id") { Description = "Run this stored build (installed by the worker) instead of compiling the source." };
        var command = new Command("execute", "Run one flow run in this process (used by workers).") { runId, source, flow, paramsJson, paramsFile, retries, retryDelay, buildId };
        command.Hidden = true;
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var id = parse.GetValue(runId);
            var sourcePath = parse.GetValue(source);
            var flowName = parse.GetValue(flow);
            var storedBuild = parse.GetValue(buildId);
            var json = parse.GetValue(paramsFile) is { } file ? await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false) : parse.GetValue(paramsJson);
            var retryCount = parse.GetValue(retries);
            var retrySeconds = parse.GetValue(retryDelay);
            // Watching for the worker's death starts before a container prepares the run (pull steps, compiling take seconds).
            using var heartbeatClient = Environment.GetEnvironmentVariable("WEIR_API_URL") is { Length: > 0 } ? Weir.Client.WeirClient.FromEnvironment() : null;
            await using var orphan = heartbeatClient is null ? null : Weir.Worker.OrphanHeartbeat.Start(heartbeatClient, id);
            if (sourcePath is null)
            {
                var (run, prepared) = await PrepareSelfAsync(id, cancellationToken).ConfigureAwait(false);
                Directory.SetCurrentDirectory(prepared.WorkingDirectory);
                sourcePath = prepared.SourcePath;
                flowName = prepared.FlowName;
                json ??= run.Parameters.ToJsonString();
                retryCount ??= run.Retries;
                retrySeconds ??= run.RetryDelaySeconds;
                storedBuild ??= prepared.BuildId;
            }
            else if (flowName is null)
            {
                throw new CliError("--flow is needed with --source.");
            }

            var build = storedBuild is { } stored
                ? StoredBuild.TryLoad(new FlowCompilerOptions(), stored) ?? throw new CliError($"The stored build {stored} is not installed on this machine.")
                : await FlowFiles.CompileAsync(sourcePath, quiet: true, cancellationToken).ConfigureAwait(false);
            using var loaded = build.Load();
            var definition = FlowFiles.Find(loaded, new Entrypoint(build.SourcePath, flowName));
            var values = RunCommand.ParseParameters(definition, [], json);
            var options = new FlowRunOptions
            {
                FlowRunId = id,
                Retries = retryCount,
                RetryDelay = retrySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            var sink = SinkFactory(id);
            var result = await new FlowEngine(sink).RunAsync(definition, values, options, cancellationToken).ConfigureAwait(false);
            if (sink is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }

            return result.State.Type == StateType.Completed ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }

    /// <summary>Prepares the run from inside (a container): a run that cannot start is marked Failed here, with the reason.</summary>
    private static async Task<(Weir.Worker.ClaimedRun Run, Weir.Worker.PreparedRun Prepared)> PrepareSelfAsync(Guid id, CancellationToken cancellationToken)
    {
        using var client = Weir.Client.WeirClient.FromEnvironment();
        try
        {
            return await Weir.Worker.SelfPreparation.PrepareAsync(client, id, FlowCompilerOptions.DefaultWeirHome(), cancellationToken).ConfigureAwait(false);
        }
        catch (Weir.Worker.RunPreparationException ex)
        {
            try
            {
                await client.SetStateAsync(id, new Weir.Client.StateRequest(StateType.Failed, ex.Message), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception report) when (report is HttpRequestException or Weir.Client.WeirApiException)
            {
                // The worker marks it Failed from this exit code and the message on standard error.
                throw new CliError(ex.Message);
            }

            throw new CliError(ex.Message, ExitCodes.RunFailed);
        }
    }
}
