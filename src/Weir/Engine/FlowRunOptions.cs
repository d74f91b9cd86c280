using Microsoft.Extensions.Logging;

namespace Weir.Engine;

/// <summary>Options for one flow run.</summary>
internal sealed class FlowRunOptions
{
    /// <summary>The run's id. <value>Defaults to a new id (a worker passes the server's).</value></summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>Flow-level retries. <value>Defaults to the <see cref="FlowAttribute.Retries"/> of the flow.</value></summary>
    public int? Retries { get; init; }

    /// <summary>Delay between flow retries. <value>Defaults to the flow attribute's.</value></summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>Limit for each attempt of the flow. <value>Defaults to the flow attribute's (none when 0).</value></summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Log lines below this level are dropped. <value>Defaults to <see cref="LogLevel.Information"/>.</value></summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;
}
