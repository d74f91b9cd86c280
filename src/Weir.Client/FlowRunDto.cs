using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>A flow run as the server keeps it.</summary>
public sealed record FlowRunDto
{
    /// <summary>Its id.</summary>
    public required Guid Id { get; init; }

    /// <summary>
    /// What people call it: the first 8 digits of its id's random tail (<c>4f3c9a1e</c> of
    /// <c>0199…-…-…-…-4f3c9a1e7b20</c>). A UUIDv7 begins with its creation time, so runs created together share
    /// their first digits; the server gives every new run a short id no other run has. The CLI takes it (or any
    /// unique start of it, or of the id) wherever it takes a run.
    /// </summary>
    public string ShortId => ShortIdOf(Id);

    /// <summary>The short id of a flow run id (see <see cref="ShortId"/>).</summary>
    public static string ShortIdOf(Guid id) => id.ToString("N")[20..28];

    /// <summary>The flow.</summary>
    public required string FlowName { get; init; }

    /// <summary>The deployment's id, when it came from one.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary><c>flow/deployment</c>, when it came from one.</summary>
    public string? DeploymentName { get; init; }

    /// <summary>Parameters.</summary>
    public required JsonObject Parameters { get; init; }

    /// <summary>The current state.</summary>
    public required StateType State { get; init; }

    /// <summary>The current state's name: its type, or a name such as <c>Late</c> (a Scheduled run past its start).</summary>
    public string? StateName { get; init; }

    /// <summary>Flow-level retries this run may use after a crash or failure.</summary>
    public int Retries { get; init; }

    /// <summary>The scheduled time that created it, when a schedule did.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>The current state's message.</summary>
    public string? StateMessage { get; init; }

    /// <summary>When it entered the current state.</summary>
    public required DateTimeOffset StateTime { get; init; }

    /// <summary>The work pool.</summary>
    public string? WorkPool { get; init; }

    /// <summary>The worker that claimed it.</summary>
    public string? Worker { get; init; }

    /// <summary>
    /// The name of the worker key that claimed its current attempt (<c>WEIR_WORKER_API_KEYS</c>), or null when the
    /// admin key (or a server without keys) claimed it. Only that key, the run's token and the admin may report it.
    /// </summary>
    public string? ClaimedBy { get; init; }

    /// <summary>How many times it has been claimed.</summary>
    public int RunCount { get; init; }

    /// <summary>When it should start.</summary>
    public required DateTimeOffset ExpectedStart { get; init; }

    /// <summary>When it first started Running (a retry does not move it); null until it has.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Created.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The git commit the code came from.</summary>
    public string? Commit { get; init; }

    /// <summary>The object-store manifest hash the code came from.</summary>
    public string? ManifestHash { get; init; }

    /// <summary>The hash of the compiled source.</summary>
    public string? ContentHash { get; init; }

    /// <summary>The structure-drift warning, when the code's tasks differ from the deployment's.</summary>
    public string? DriftWarning { get; init; }

    /// <summary>True once cancellation was asked for.</summary>
    public bool CancelRequested { get; init; }
}
