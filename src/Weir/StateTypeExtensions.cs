namespace Weir;

/// <summary>Helpers for <see cref="StateType"/>.</summary>
public static class StateTypeExtensions
{
    /// <summary>True for Completed, Failed, Crashed and Cancelled.</summary>
    public static bool IsTerminal(this StateType type) =>
        type is StateType.Completed or StateType.Failed or StateType.Crashed or StateType.Cancelled;
}
