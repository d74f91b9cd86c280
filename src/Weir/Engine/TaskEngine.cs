using System.ComponentModel;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Weir.Engine;

/// <summary>
/// Runs one call of a <see cref="TaskAttribute"/> method as a task run. The compiler rewrites every
/// task method so that its body goes through here; authors call tasks as plain methods. Outside a
/// flow run the body is called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TaskEngine
{
    /// <summary>Runs a synchronous task that returns a value.</summary>
    public static T Run<T>(TaskDescriptor task, object?[] arguments, Func<T> body)
    {
        var parent = RunContext.Current;
        return parent is null ? body() : RunSync(parent, task, arguments, body);
    }

    /// <summary>Runs a synchronous task that returns nothing.</summary>
    public static void Run(TaskDescriptor task, object?[] arguments, Action body)
    {
        var parent = RunContext.Current;
        if (parent is null)
        {
            body();
            return;
        }

        RunSync<object?>(parent, task, arguments, () =>
        {
            body();
            return null;
        });
    }

    /// <summary>Runs an asynchronous task that returns a value. The body starts on the thread pool, so tasks awaited together run in parallel.</summary>
    public static Task<T> RunAsync<T>(TaskDescriptor task, object?[] arguments, Func<Task<T>> body)
    {
        var parent = RunContext.Current;
        return parent is null ? body() : RunAsyncCore(parent, task, arguments, body);
    }

    /// <summary>Runs an asynchronous task that returns nothing.</summary>
    public static Task RunAsync(TaskDescriptor task, object?[] arguments, Func<Task> body)
    {
        var parent = RunContext.Current;
        return parent is null ? body() : RunAsyncCore<object?>(parent, task, arguments, async () =>
        {
            await body().ConfigureAwait(false);
            return null;
        });
    }

    /// <summary>Runs an asynchronous task written with <see cref="ValueTask{TResult}"/>.</summary>
    public static ValueTask<T> RunValueAsync<T>(TaskDescriptor task, object?[] arguments, Func<ValueTask<T>> body)
    {
        var parent = RunContext.Current;
        return parent is null ? body() : new ValueTask<T>(RunAsyncCore(parent, task, arguments, () => body().AsTask()));
    }

    /// <summary>Runs an asynchronous task written with <see cref="ValueTask"/>.</summary>
    public static ValueTask RunValueAsync(TaskDescriptor task, object?[] arguments, Func<ValueTask> body)
    {
        var parent = RunContext.Current;
        return parent is null ? body() : new ValueTask(RunAsync(task, arguments, () => body().AsTask()));
    }

    private static T RunSync<T>(RunContext parent, TaskDescriptor task, object?[] arguments, Func<T> body)
    {
        var scope = parent.Scope;
        var run = scope.CreateTaskRun(task, arguments, parent.TaskRun?.Id);
        while (true)
        {
            StartAttempt(scope, run);
            using var timeout = task.Timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(scope.CancellationToken);
            var context = new RunContext(scope, run, timeout?.Token ?? scope.CancellationToken, new RunOutput(scope, run.Id));
            Exception failure;
            RunContext.Current = context;
            try
            {
                T result;
                if (timeout is null)
                {
                    result = body();
                }
                else
                {
                    // A synchronous body cannot be interrupted; it runs on the pool so the caller can
                    // stop waiting at the limit, and its token tells it to give up.
                    // Sync-over-async is deliberate here: the task's author chose a blocking task.
                    result = WaitWithTimeout(Task.Run(body, CancellationToken.None), task, run, scope, timeout).GetAwaiter().GetResult();
                }

                context.Output.Flush();
                Complete(scope, run, result);
                return result;
            }
            catch (Exception ex)
            {
                context.Output.Flush();
                failure = ex;
            }
            finally
            {
                RunContext.Current = parent;
            }

            var delay = AfterFailure(scope, task, run, failure);
            if (delay is null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            WaitForRetry(scope, run, delay.Value).GetAwaiter().GetResult();
        }
    }

    private static async Task<T> RunAsyncCore<T>(RunContext parent, TaskDescriptor task, object?[] arguments, Func<Task<T>> body)
    {
        var scope = parent.Scope;
        var run = scope.CreateTaskRun(task, arguments, parent.TaskRun?.Id);
        while (true)
        {
            StartAttempt(scope, run);
            using var timeout = task.Timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(scope.CancellationToken);
            var context = new RunContext(scope, run, timeout?.Token ?? scope.CancellationToken, new RunOutput(scope, run.Id));
            Exception failure;

            // Changes to the async-local context stay inside this async method; the caller keeps its own.
            RunContext.Current = context;
            try
            {
                var attempt = Task.Run(body, CancellationToken.None);
                var result = timeout is null
                    ? await attempt.ConfigureAwait(false)
                    : await WaitWithTimeout(attempt, task, run, scope, timeout).ConfigureAwait(false);
                context.Output.Flush();
                Complete(scope, run, result);
                return result;
            }
            catch (Exception ex)
            {
                context.Output.Flush();
                failure = ex;
            }
            finally
            {
                RunContext.Current = parent;
            }

            var delay = AfterFailure(scope, task, run, failure);
            if (delay is null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            await WaitForRetry(scope, run, delay.Value).ConfigureAwait(false);
        }
    }

    private static async Task<T> WaitWithTimeout<T>(Task<T> attempt, TaskDescriptor task, TaskRunInfo run, FlowRunScope scope, CancellationTokenSource timeout)
    {
        try
        {
            return await attempt.WaitAsync(task.Timeout!.Value, scope.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!attempt.IsCompleted)
        {
            await timeout.CancelAsync().ConfigureAwait(false);
            throw new TaskTimeoutException($"Task run '{run.TaskKey}' timed out after {Describe.Duration(task.Timeout!.Value)}.");
        }
    }

    private static void StartAttempt(FlowRunScope scope, TaskRunInfo run)
    {
        if (scope.CancellationToken.IsCancellationRequested)
        {
            scope.SetState(run, StateType.Cancelled, "The flow run was cancelled before this task started.");
            scope.CancellationToken.ThrowIfCancellationRequested();
        }

        run.RunCount++;
        scope.SetState(run, StateType.Running);
    }

    private static void Complete<T>(FlowRunScope scope, TaskRunInfo run, T result)
    {
        run.Result = result;
        scope.SetState(run, StateType.Completed);
    }

    /// <summary>Records a failed attempt. Returns the delay before the next attempt, or null when the task run has ended.</summary>
    private static TimeSpan? AfterFailure(FlowRunScope scope, TaskDescriptor task, TaskRunInfo run, Exception failure)
    {
        run.Error = failure;
        if (scope.IsCancellation(failure))
        {
            scope.SetState(run, StateType.Cancelled, "The flow run was cancelled.");
            return null;
        }

        var attempts = task.Retries + 1;
        if (run.RunCount < attempts)
        {
            scope.Log(run.Id, LogLevel.Warning, "Weir.Engine", $"Attempt {run.RunCount} of {attempts} failed with {Describe.Exception(failure)}. Retrying in {Describe.Duration(task.RetryDelay)}.");
            scope.SetState(run, StateType.Retrying, $"Attempt {run.RunCount} of {attempts} failed: {Describe.Exception(failure)}");
            return task.RetryDelay;
        }

        scope.Log(run.Id, LogLevel.Error, "Weir.Engine", $"Task run '{run.TaskKey}' failed" + (attempts > 1 ? $" after {attempts} attempts" : string.Empty) + ": " + failure);
        scope.SetState(run, StateType.Failed, Describe.Exception(failure));
        scope.RecordFailure(failure, run);
        return null;
    }

    private static async Task WaitForRetry(FlowRunScope scope, TaskRunInfo run, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(delay, scope.TimeProvider, scope.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            scope.SetState(run, StateType.Cancelled, "The flow run was cancelled while the task waited to retry.");
            throw;
        }
    }
}
