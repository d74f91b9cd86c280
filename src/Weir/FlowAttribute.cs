namespace Weir;

/// <summary>
/// Marks a static method as a flow. The method's parameters are the flow's parameters; calls to
/// <see cref="TaskAttribute"/> methods inside it become task runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FlowAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The flow's name. <value>Defaults to the method's name.</value></param>
    public FlowAttribute(string? name = null) => Name = name;

    /// <summary>The flow's name, as used in entrypoints (<c>file.cs:name</c>). <value>Defaults to the method's name.</value></summary>
    public string? Name { get; }

    /// <summary>A short description shown by <c>weir inspect</c> and the UI. <value>Defaults to none.</value></summary>
    public string? Description { get; set; }

    /// <summary>How many times a failed flow run is retried as a whole. <value>Defaults to 0.</value></summary>
    public int Retries { get; set; }

    /// <summary>Seconds to wait between flow retries. <value>Defaults to 0.</value></summary>
    public double RetryDelaySeconds { get; set; }

    /// <summary>Seconds after which a flow run fails as timed out; 0 means no limit. <value>Defaults to 0.</value></summary>
    public double TimeoutSeconds { get; set; }
}
