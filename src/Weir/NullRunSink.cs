namespace Weir;

/// <summary>A sink that drops everything.</summary>
internal sealed class NullRunSink : IRunSink
{
    /// <summary>The one instance.</summary>
    public static NullRunSink Instance { get; } = new();

    private NullRunSink()
    {
    }

    /// <inheritdoc />
    public void OnFlowRunState(FlowRunInfo flowRun, State state)
    {
    }

    /// <inheritdoc />
    public void OnTaskRunCreated(TaskRunInfo taskRun)
    {
    }

    /// <inheritdoc />
    public void OnTaskRunState(TaskRunInfo taskRun, State state)
    {
    }

    /// <inheritdoc />
    public void OnLog(LogRecord record)
    {
    }
}
