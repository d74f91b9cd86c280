using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Weir.Engine;

namespace Weir;

/// <summary>
/// The flow run or task run the current code is executing in. Flow and task code reach it through
/// <see cref="Current"/>; it flows across <c>await</c>.
/// </summary>
public sealed class RunContext
{
    private static readonly AsyncLocal<RunContext?> s_current = new();

    internal RunContext(FlowRunScope scope, TaskRunInfo? taskRun, CancellationToken cancellationToken, RunOutput output)
    {
        Scope = scope;
        TaskRun = taskRun;
        CancellationToken = cancellationToken;
        Output = output;
        Logger = new RunLogger(scope, taskRun?.Id, "Weir.Run");
    }

    /// <summary>The context of the code running now, or null outside any flow run.</summary>
    public static RunContext? Current
    {
        get => s_current.Value;
        internal set => s_current.Value = value;
    }

    /// <summary>The logger of the current run; a logger that drops everything outside a run.</summary>
    public static ILogger GetRunLogger() => Current?.Logger ?? NullLogger.Instance;

    /// <summary>The flow run.</summary>
    public FlowRunInfo FlowRun => Scope.FlowRun;

    /// <summary>The task run, or null in the flow's own code.</summary>
    public TaskRunInfo? TaskRun { get; }

    /// <summary>
    /// The folder the run's code was fetched to (where the pull steps left it). A process pool's flow process
    /// runs with it as its current folder, so relative paths work; in the in-process pool every run shares the
    /// worker's current folder, so flows that read their own files build paths from this. With git storage in the
    /// in-process pool it is by default the commit's checkout, shared read-only by all runs of that commit: write
    /// elsewhere (a temporary folder), or give the <c>git_clone</c> step <c>checkout: pool</c>.
    /// </summary>
    public string WorkingDirectory => Scope.WorkingDirectory ?? Environment.CurrentDirectory;

    /// <summary>A logger whose lines are recorded with this run.</summary>
    public ILogger Logger { get; }

    /// <summary>Signalled when the run is cancelled or, in a task, when its attempt times out.</summary>
    public CancellationToken CancellationToken { get; }

    internal FlowRunScope Scope { get; }

    internal RunOutput Output { get; }
}
