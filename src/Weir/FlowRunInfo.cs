namespace Weir;

/// <summary>What the engine knows about one flow run. Updated in place as the run moves through its states.</summary>
public sealed class FlowRunInfo
{
    internal FlowRunInfo(Guid id, string flowName, IReadOnlyDictionary<string, object?> parameters, State state)
    {
        Id = id;
        FlowName = flowName;
        Parameters = parameters;
        State = state;
    }

    /// <summary>The run's id (a server-assigned id when run by a worker).</summary>
    public Guid Id { get; }

    /// <summary>The flow's name.</summary>
    public string FlowName { get; }

    /// <summary>The bound parameter values, by parameter name.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>The current state.</summary>
    public State State { get; internal set; }

    /// <summary>How many times the flow body has started (1 on the first attempt).</summary>
    public int RunCount { get; internal set; }
}
