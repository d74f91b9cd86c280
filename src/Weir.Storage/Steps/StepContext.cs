using Weir.Storage.Templating;

namespace Weir.Storage.Steps;

/// <summary>What steps share while they run: the working folder, caches, output and the redactor.</summary>
public sealed class StepContext
{
    /// <summary>Creates a context whose working folder is <paramref name="workingDirectory"/>.</summary>
    public StepContext(string workingDirectory, string cacheDirectory)
    {
        WorkingDirectory = Path.GetFullPath(workingDirectory);
        RunFolder = WorkingDirectory;
        CacheDirectory = cacheDirectory;
    }

    /// <summary>The run's own folder (the first working folder); it exists for as long as the run does.</summary>
    public string RunFolder { get; }

    /// <summary>
    /// True when clone steps may lend a run what the cache keeps: a checkout of the pool (reset to the commit and
    /// cleaned) or a commit's shared read-only checkout, instead of writing a new one into the run folder. What
    /// is lent stays the run's until the run folder is deleted, so only a caller that deletes run folders when
    /// runs end (the worker) turns this on.
    /// <value>Defaults to false.</value>
    /// </summary>
    public bool ReuseCheckouts { get; init; }

    /// <summary>
    /// True when the flow will run with <see cref="WorkingDirectory"/> as its current folder (a flow process), so
    /// that relative paths it writes land in the fetched code; false for the in-process pool, whose runs share
    /// the process's current folder and reach theirs only through <c>RunContext.WorkingDirectory</c>. With
    /// <c>checkout: auto</c>, <c>git_clone</c> lends a run a pooled checkout of its own in the first case and the
    /// commit's shared read-only checkout in the second.
    /// <value>Defaults to true.</value>
    /// </summary>
    public bool FlowRunsInWorkingDirectory { get; init; } = true;

    /// <summary>The clock of steps that keep time (the refresh window of <c>git_clone</c>). <value>Defaults to <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// True for <c>--dry-run</c>: steps say what they would do (what a push would upload, keep and remove)
    /// and change nothing; steps that cannot tell without acting are skipped by the runner with a line.
    /// <value>Defaults to false.</value>
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>The folder steps work in; <c>set_working_directory</c> and clone steps move it, and the flow runs from it.</summary>
    public string WorkingDirectory { get; set; }

    /// <summary>Where steps keep caches that outlive a run (repository mirrors, object-store copies).</summary>
    public string CacheDirectory { get; }

    /// <summary>
    /// The environment of the processes steps start for the user (<c>run_shell_script</c>): exactly these variables, then the
    /// step's own <c>env</c>. A worker gives an allow-list of its environment and the run's token, never its key.
    /// <value>Defaults to null: this process's whole environment (<c>weir deploy</c> on the user's machine).</value>
    /// </summary>
    public IReadOnlyDictionary<string, string>? ChildEnvironment { get; init; }

    /// <summary>Receives lines for people (progress, streamed command output), already redacted. <value>Defaults to none.</value></summary>
    public Action<string>? Output { get; init; }

    /// <summary>Removes secret values from anything printed. <value>Defaults to a new redactor.</value></summary>
    public Redactor Redactor { get; init; } = new();

    /// <summary>Prints a line through <see cref="Output"/>, redacted.</summary>
    public void Print(string line) => Output?.Invoke(Redactor.Redact(line));
}
