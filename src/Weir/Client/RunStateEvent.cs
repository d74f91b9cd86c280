namespace Weir.Client;

/// <summary>A run (flow or task) entered a state.</summary>
public sealed record RunStateEvent(Guid RunId, StateType Type, string? Message, DateTimeOffset Time);
