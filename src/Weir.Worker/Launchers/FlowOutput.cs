namespace Weir.Worker.Launchers;

/// <summary>Where a launcher sends what the flow prints and what it does (started a process, pulled an image).</summary>
public sealed class FlowOutput(Action<string, bool> line, Action<string> progress)
{
    /// <summary>A line the flow printed; <c>isError</c> for standard error.</summary>
    public void Line(string text, bool isError) => line(text, isError);

    /// <summary>A line about the launch itself for the worker's log.</summary>
    public void Progress(string text) => progress(text);

    /// <summary>
    /// Why the run's cancellation token fired when it is the worker that stops the run (its drain is over), else null (the
    /// server asked for cancellation). A launcher whose flow reports its own end (the in-process pool) ends such a run
    /// Crashed with this message, not Cancelled, so the server re-schedules it when its retries allow.
    /// <value>Defaults to never the worker's doing.</value>
    /// </summary>
    public Func<string?> StopReason { get; init; } = () => null;
}
