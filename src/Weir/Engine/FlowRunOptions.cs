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

    /// <summary>The folder the run's code was fetched to (<see cref="RunContext.WorkingDirectory"/>). <value>Defaults to the process's current folder.</value></summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// How long a cancelled run's code may go on before the engine stops waiting for it and leaves it running
    /// (<see cref="FlowRunResult.Abandoned"/>): the run ends Cancelled either way. A process of its own is killed
    /// at once; in a shared process (the in-process pool) cancellation is cooperative.
    /// <value>Defaults to zero: stop waiting at once.</value>
    /// </summary>
    public TimeSpan CancellationGrace { get; init; }

    /// <summary>
    /// Where the run's <see cref="Secret"/>, <see cref="Block"/> and <see cref="Variable"/> reads go (the server, with the run's
    /// credential). <value>Defaults to none: those reads fail, saying so.</value>
    /// </summary>
    public IRunValueSource? Values { get; init; }

    /// <summary>
    /// Asked when the run is cancelled: a message means its host stopped it (a worker whose drain is over), and the run
    /// ends Crashed with it (its server re-schedules a crash when retries allow), not Cancelled. <value>Defaults to none.</value>
    /// </summary>
    public Func<string?>? StopReason { get; init; }

    /// <summary>Log lines below this level are dropped. <value>Defaults to <see cref="LogLevel.Information"/>.</value></summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;
}
