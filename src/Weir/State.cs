namespace Weir;

/// <summary>One entry of a run's state history.</summary>
/// <param name="Type">The kind of state.</param>
/// <param name="Timestamp">When the run entered it.</param>
/// <param name="Message">Why, for people (an error, a retry count, a timeout).</param>
public sealed record State(StateType Type, DateTimeOffset Timestamp, string? Message = null)
{
    /// <summary>True for Completed, Failed, Crashed and Cancelled: states a run does not leave on its own.</summary>
    public bool IsTerminal => Type.IsTerminal();

    /// <inheritdoc />
    public override string ToString() => Message is null ? Type.ToString() : $"{Type}('{Message}')";
}
