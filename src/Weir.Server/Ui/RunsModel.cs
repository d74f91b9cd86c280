namespace Weir.Server.Ui;

/// <summary>The flow-runs page: the filters as given, the choices for them, and the matching runs.</summary>
public sealed record RunsModel(
    PageChrome Chrome,
    string? State,
    string? Flow,
    string? Deployment,
    string Since,
    int Limit,
    IReadOnlyList<string> Flows,
    IReadOnlyList<string> Deployments,
    IReadOnlyList<FlowRunDto> Runs)
{
    /// <summary>The time filter's choices: key, label, how far back (null: all time).</summary>
    public static IReadOnlyList<(string Key, string Label)> Periods { get; } =
        [("1h", "last hour"), ("24h", "last 24 hours"), ("7d", "last 7 days"), ("30d", "last 30 days"), ("all", "any time")];

    /// <summary>How far back a period key reaches; null for all time or an unknown key.</summary>
    public static TimeSpan? Span(string key) => key switch
    {
        "1h" => TimeSpan.FromHours(1),
        "24h" => TimeSpan.FromDays(1),
        "7d" => TimeSpan.FromDays(7),
        "30d" => TimeSpan.FromDays(30),
        _ => null,
    };
}
