namespace Weir;

/// <summary>What the engine knows about one task run. Updated in place as the run moves through its states.</summary>
public sealed class TaskRunInfo
{
    internal TaskRunInfo(Guid id, Guid flowRunId, Guid? parentTaskRunId, string taskName, string taskKey, IReadOnlyList<KeyValuePair<string, object?>> parameters, State state)
    {
        Id = id;
        FlowRunId = flowRunId;
        ParentTaskRunId = parentTaskRunId;
        TaskName = taskName;
        TaskKey = taskKey;
        Parameters = parameters;
        State = state;
    }

    /// <summary>The task run's id.</summary>
    public Guid Id { get; }

    /// <summary>The flow run it belongs to.</summary>
    public Guid FlowRunId { get; }

    /// <summary>The task run that called this one, when a task calls a task.</summary>
    public Guid? ParentTaskRunId { get; }

    /// <summary>The task's name.</summary>
    public string TaskName { get; }

    /// <summary>The task's name and its call number in the flow run: <c>GetData-0</c>, <c>GetData-1</c>, …</summary>
    public string TaskKey { get; }

    /// <summary>The arguments the task was called with, by parameter name.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; }

    /// <summary>The current state.</summary>
    public State State { get; internal set; }

    /// <summary>How many attempts have started (1 on the first attempt).</summary>
    public int RunCount { get; internal set; }

    /// <summary>The value the task returned, once Completed.</summary>
    public object? Result { get; internal set; }

    /// <summary>The exception of the last failed attempt.</summary>
    public Exception? Error { get; internal set; }

    /// <summary>The secrets its flow run has read: a sink describing the task's parameters removes them first.</summary>
    internal Engine.SecretRedactor? Redactor { get; init; }

    /// <summary>The text as the task run may report it: the secrets its flow run read replaced by <c>********</c>.</summary>
    internal string? Redact(string? text) => Redactor is null ? text : Redactor.RedactOrNull(text);
}
