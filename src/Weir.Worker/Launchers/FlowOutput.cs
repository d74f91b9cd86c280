namespace Weir.Worker.Launchers;

/// <summary>Where a launcher sends what the flow prints and what it does (started a process, pulled an image).</summary>
public sealed class FlowOutput(Action<string, bool> line, Action<string> progress)
{
    /// <summary>A line the flow printed; <c>isError</c> for standard error.</summary>
    public void Line(string text, bool isError) => line(text, isError);

    /// <summary>A line about the launch itself for the worker's log.</summary>
    public void Progress(string text) => progress(text);
}
