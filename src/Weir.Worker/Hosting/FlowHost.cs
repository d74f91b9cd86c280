using System.Text.Json;
using Weir.Engine;

namespace Weir.Worker.Hosting;

/// <summary>
/// Runs prepared flow runs in the current process: loads the run's build into a fresh collectible load
/// context (its statics start anew), binds the parameters, and runs the engine, which reports states,
/// task runs and logs through the host's sink. Every pool type ends here: a flow process runs one
/// assignment after another through it, and so does the CLI's <c>weir run</c> and a container's runner.
/// </summary>
public sealed class FlowHost
{
    private readonly IRunSink _sink;
    private readonly TimeProvider _time;

    internal FlowHost(IRunSink sink, TimeProvider? time = null)
    {
        _sink = sink;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The flows found in builds whose load context their runs share, so each is looked up once.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<System.Reflection.Assembly, System.Collections.Concurrent.ConcurrentDictionary<string, FlowDefinition>> s_flows = [];

    /// <summary>
    /// Runs one assignment to a final state. A run that cannot start (no such flow in the build, parameters
    /// that do not bind) returns <see cref="FlowHostResult.CouldNotStart"/> with the reason; the flow's own
    /// failures end the run Failed, as the engine reports them.
    /// </summary>
    /// <param name="assignment">The run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <param name="cancellationGrace">How long cancelled code may go on before it is left running.</param>
    /// <param name="runValues">Where the run's secret, block and variable reads go (the server, with the run's token).</param>
    /// <param name="stopReason">Says why, when the cancellation is the worker stopping the run (it then ends Crashed).</param>
    internal async Task<FlowHostResult> RunAsync(FlowRunAssignment assignment, CancellationToken cancellationToken, TimeSpan cancellationGrace = default, IRunValueSource? runValues = null, Func<string?>? stopReason = null)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (assignment.Start is { IsEmpty: false } start)
        {
            (_sink as IEventBatchSink)?.Enqueue(start);
        }

        using var loaded = assignment.ToBuild().LoadForRun();
        FlowDefinition flow;
        IReadOnlyDictionary<string, object?> values;
        try
        {
            flow = loaded.Shared
                ? s_flows.GetOrCreateValue(loaded.Assembly).GetOrAdd(assignment.FlowName, name => FlowDefinition.Find(loaded.Assembly, name, assignment.SourcePath))
                : FlowDefinition.Find(loaded.Assembly, assignment.FlowName, assignment.SourcePath);
            values = ParameterBinder.Bind(flow, [], JsonDocument.Parse(assignment.Parameters.ToJsonString()).RootElement);
        }
        catch (Exception ex) when (ex is FlowNotFoundException or ParameterBindingException)
        {
            return FlowHostResult.NotStarted(ex.Message);
        }

        var result = await RunAsync(flow, values, new FlowRunOptions
        {
            FlowRunId = assignment.FlowRunId,
            Retries = assignment.Retries,
            RetryDelay = TimeSpan.FromSeconds(assignment.RetryDelaySeconds),
            WorkingDirectory = assignment.WorkingDirectory,
            CancellationGrace = cancellationGrace,
            Values = runValues,
            StopReason = stopReason,
        }, cancellationToken).ConfigureAwait(false);
        return FlowHostResult.Ended(result.State.Type) with { Abandoned = result.Abandoned, Final = result.State };
    }

    /// <summary>Runs a flow already found and bound (the CLI's local <c>weir run</c>).</summary>
    internal Task<FlowRunResult> RunAsync(FlowDefinition flow, IReadOnlyDictionary<string, object?> values, FlowRunOptions options, CancellationToken cancellationToken) =>
        new FlowEngine(_sink, _time).RunAsync(flow, values, options, cancellationToken);
}
