using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Weir.Engine;

/// <summary>
/// Runs a flow: records the flow run's states, retries and times it out as its settings say, and
/// gives every task call inside it to <see cref="TaskEngine"/> through the run context.
/// </summary>
internal sealed class FlowEngine
{
    private readonly IRunSink _sink;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an engine that reports to <paramref name="sink"/>.</summary>
    public FlowEngine(IRunSink sink, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs the flow to a terminal state. User exceptions do not escape: they end the run Failed and
    /// are in the result. Cancelling <paramref name="cancellationToken"/> ends it Cancelled.
    /// </summary>
    public async Task<FlowRunResult> RunAsync(FlowDefinition flow, IReadOnlyDictionary<string, object?> parameters, FlowRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new FlowRunOptions();
        ConsoleCapture.EnsureInstalled();

        var arguments = ParameterBinder.ToArguments(flow, parameters);
        var retries = options.Retries ?? flow.Attribute.Retries;
        var retryDelay = options.RetryDelay ?? TimeSpan.FromSeconds(flow.Attribute.RetryDelaySeconds);
        var timeout = options.Timeout ?? (flow.Attribute.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(flow.Attribute.TimeoutSeconds) : null);

        var now = _timeProvider.GetUtcNow();
        var run = new FlowRunInfo(options.FlowRunId ?? Guid.CreateVersion7(now), flow.Name, parameters, new State(StateType.Pending, now));
        var scope = new FlowRunScope(run, _sink, _timeProvider, options.MinimumLogLevel, cancellationToken, options.WorkingDirectory) { Values = options.Values };
        _sink.OnFlowRunState(run, run.State);

        while (true)
        {
            run.RunCount++;
            scope.SetState(StateType.Running);
            var context = new RunContext(scope, null, cancellationToken, new RunOutput(scope, null));
            RunContext.Current = context;
            Exception failure;
            var body = Task.Run(() => InvokeBodyAsync(flow.Method, arguments), CancellationToken.None);
            try
            {
                var value = await WaitAsync(body, timeout, run, cancellationToken).ConfigureAwait(false);
                context.Output.Flush();
                scope.SetState(StateType.Completed);
                return await FinishAsync(new FlowRunResult(run, value, null, null, scope.TaskRuns)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                context.Output.Flush();
                failure = ex;
            }
            finally
            {
                RunContext.Current = null;
            }

            var failedTask = scope.FindFailedTask(failure);
            if (scope.IsCancellation(failure))
            {
                var abandoned = await GraceAsync(body, options.CancellationGrace).ConfigureAwait(false);
                var left = abandoned is null ? string.Empty : $" Its code did not stop within {Describe.Duration(options.CancellationGrace)} and was left running.";
                if (options.StopReason?.Invoke() is { } stopped)
                {
                    scope.SetState(StateType.Crashed, stopped + left);
                }
                else
                {
                    scope.SetState(StateType.Cancelled, abandoned is null
                        ? "The flow run was cancelled."
                        : $"The flow run was cancelled; its code did not stop within {Describe.Duration(options.CancellationGrace)} and was left running.");
                }

                return await FinishAsync(new FlowRunResult(run, null, failure, null, scope.TaskRuns) { Abandoned = abandoned }).ConfigureAwait(false);
            }

            var message = failedTask is null
                ? $"Flow run failed: {Describe.Exception(failure)}"
                : $"Task run '{failedTask.TaskKey}' failed: {Describe.Exception(failure)}";
            if (run.RunCount <= retries)
            {
                scope.Log(null, LogLevel.Warning, "Weir.Engine", $"{message} Retrying the flow ({run.RunCount} of {retries}) in {Describe.Duration(retryDelay)}.");
                scope.SetState(StateType.Retrying, message);
                try
                {
                    await Task.Delay(retryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    scope.SetState(StateType.Cancelled, "The flow run was cancelled while waiting to retry.");
                    return await FinishAsync(new FlowRunResult(run, null, failure, failedTask, scope.TaskRuns)).ConfigureAwait(false);
                }

                continue;
            }

            if (failedTask is null)
            {
                // A task's failure was logged with its stack by the task engine; a flow's own is logged here.
                scope.Log(null, LogLevel.Error, "Weir.Engine", "Flow run failed: " + failure);
            }

            scope.SetState(StateType.Failed, message);
            return await FinishAsync(new FlowRunResult(run, null, failure, failedTask, scope.TaskRuns)).ConfigureAwait(false);
        }
    }

    private async Task<FlowRunResult> FinishAsync(FlowRunResult result)
    {
        await _sink.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>Gives cancelled code up to <paramref name="grace"/> to stop; returns it when it has not (it runs on, abandoned).</summary>
    private async Task<Task?> GraceAsync(Task body, TimeSpan grace)
    {
        if (body.IsCompleted)
        {
            return null;
        }

        if (grace > TimeSpan.Zero)
        {
            await Task.WhenAny(body, Task.Delay(grace, _timeProvider)).ConfigureAwait(false);
        }

        return body.IsCompleted ? null : body;
    }

    private async Task<object?> WaitAsync(Task<object?> body, TimeSpan? timeout, FlowRunInfo run, CancellationToken cancellationToken)
    {
        // The body runs on the pool so that a timeout (or cancellation) can stop waiting for a synchronous flow too.
        if (timeout is null)
        {
            return await body.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await body.WaitAsync(timeout.Value, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!body.IsCompleted)
        {
            throw new TaskTimeoutException($"Flow run '{run.FlowName}' timed out after {Describe.Duration(timeout.Value)}.");
        }
    }

    private static async Task<object?> InvokeBodyAsync(MethodInfo method, object?[] arguments)
    {
        var returned = method.Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        var returnType = method.ReturnType;
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return returnType.IsGenericType ? returnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            default:
                if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)returnType.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
                    await asTask.ConfigureAwait(false);
                    return asTask.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(asTask);
                }

                return returned;
        }
    }
}
