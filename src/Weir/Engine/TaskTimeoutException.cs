namespace Weir.Engine;

/// <summary>An attempt of a task or flow ran longer than its <c>TimeoutSeconds</c>.</summary>
public sealed class TaskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public TaskTimeoutException(string message)
        : base(message)
    {
    }
}
