namespace Weir.Server.Storage;

/// <summary>The runs created in one hour (UTC) that are now in <paramref name="State"/>.</summary>
public sealed record RunActivity(DateTimeOffset Hour, StateType State, int Count);
