namespace Weir.Client;

/// <summary>A run (flow or task) entered a state.</summary>
/// <param name="RunId">The flow run or task run.</param>
/// <param name="Type">The state it entered.</param>
/// <param name="Message">Why, for people.</param>
/// <param name="Time">When.</param>
/// <param name="Expected">The state the sender believes the run is in; when given and wrong, the server refuses the change.</param>
/// <param name="Name">The state's name when it differs from its type (a Scheduled state named <c>Late</c>).</param>
public sealed record RunStateEvent(Guid RunId, StateType Type, string? Message, DateTimeOffset Time, StateType? Expected = null, string? Name = null);
