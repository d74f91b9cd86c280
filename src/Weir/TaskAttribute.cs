namespace Weir;

/// <summary>
/// Marks a static method as a task. When a flow calls it, the call becomes a task run with its own
/// states, retries, timeout and captured logs. Outside a flow run it is a plain method call.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TaskAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The task's name. <value>Defaults to the method's name.</value></param>
    public TaskAttribute(string? name = null) => Name = name;

    /// <summary>The task's name. <value>Defaults to the method's name.</value></summary>
    public string? Name { get; set; }

    /// <summary>How many times a failed task run is retried. <value>Defaults to 0.</value></summary>
    public int Retries { get; set; }

    /// <summary>Seconds to wait between retries. <value>Defaults to 0.</value></summary>
    public double RetryDelaySeconds { get; set; }

    /// <summary>Seconds after which an attempt fails as timed out; 0 means no limit. <value>Defaults to 0.</value></summary>
    public double TimeoutSeconds { get; set; }
}
