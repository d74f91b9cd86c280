using Weir.Storage.Config;

namespace Weir.Storage.Project;

/// <summary>One schedule of a deployment: a cron expression or an interval, in a time zone.</summary>
public sealed record ScheduleDefinition(string? Cron, double? IntervalSeconds, string Timezone, bool Active, SourceLocation Location);
