namespace Weir.Storage.Docker;

/// <summary>How a docker command ended.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">What it printed on standard output.</param>
/// <param name="LastLines">Its last lines of output (both streams), for error messages.</param>
public sealed record DockerResult(int ExitCode, string StandardOutput, IReadOnlyList<string> LastLines)
{
    /// <summary>True when it exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last lines as one text, or a note that it printed nothing.</summary>
    public string Tail => LastLines.Count == 0 ? "(it printed nothing)" : string.Join('\n', LastLines);
}
