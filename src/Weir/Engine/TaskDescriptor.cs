using System.ComponentModel;

namespace Weir.Engine;

/// <summary>
/// A task's settings, as the compiler read them from its <see cref="TaskAttribute"/>. Generated code
/// creates one per task method; authors do not use it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TaskDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    public TaskDescriptor(string name, int retries, double retryDelaySeconds, double timeoutSeconds, string[] parameterNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfNegative(retryDelaySeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutSeconds);
        Name = name;
        Retries = retries;
        RetryDelay = TimeSpan.FromSeconds(retryDelaySeconds);
        Timeout = timeoutSeconds > 0 ? TimeSpan.FromSeconds(timeoutSeconds) : null;
        ParameterNames = parameterNames;
    }

    /// <summary>The task's name.</summary>
    public string Name { get; }

    /// <summary>Retries after the first attempt.</summary>
    public int Retries { get; }

    /// <summary>Delay between attempts.</summary>
    public TimeSpan RetryDelay { get; }

    /// <summary>Limit per attempt, or null for none.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>The method's parameter names, in order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }
}
