namespace Weir;

/// <summary>
/// Receives everything the engine records: states and logs of flow runs and task runs. The terminal
/// printer and the server client are sinks. Calls come from many threads at once and must not block:
/// a sink that does I/O queues and sends in batches.
/// </summary>
internal interface IRunSink
{
    /// <summary>A flow run entered a state.</summary>
    void OnFlowRunState(FlowRunInfo flowRun, State state);

    /// <summary>A task run was created (its first state, Pending, follows).</summary>
    void OnTaskRunCreated(TaskRunInfo taskRun);

    /// <summary>A task run entered a state.</summary>
    void OnTaskRunState(TaskRunInfo taskRun, State state);

    /// <summary>A log line was written.</summary>
    void OnLog(LogRecord record);

    /// <summary>Waits until everything received so far has been delivered.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
