namespace Weir.Server.Storage;

/// <summary>Which flow runs to list, newest first.</summary>
public sealed record FlowRunFilter
{
    /// <summary>Only runs of this deployment (<c>flow/deployment</c>).</summary>
    public string? Deployment { get; init; }

    /// <summary>Only runs of this flow.</summary>
    public string? Flow { get; init; }

    /// <summary>Only runs in this state.</summary>
    public StateType? State { get; init; }

    /// <summary>Only runs of this work pool.</summary>
    public string? WorkPool { get; init; }

    /// <summary>Only runs whose current state has this name (e.g. <c>Late</c>, <c>AwaitingRetry</c>).</summary>
    public string? StateName { get; init; }

    /// <summary>Only runs created at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only runs created before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>
    /// Only runs whose id starts with these hexadecimal digits (hyphens left out), or whose short id does
    /// (<see cref="Weir.Client.FlowRunDto.ShortId"/>): what people type for a run.
    /// </summary>
    public string? IdPrefix { get; init; }

    /// <summary>At most this many. <value>Defaults to 50.</value></summary>
    public int Limit { get; init; } = 50;
}
