namespace Weir.Server.Storage;

/// <summary>A flow's number of runs and when the latest was created.</summary>
public sealed record FlowRunSummary(string FlowName, int Runs, DateTimeOffset? LatestRun);
