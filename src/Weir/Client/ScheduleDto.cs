namespace Weir.Client;

/// <summary>A deployment schedule: a cron expression or an interval in seconds, in a time zone.</summary>
public sealed record ScheduleDto(string? Cron, double? IntervalSeconds, string Timezone = "UTC", bool Active = true);
