namespace Weir.Client;

/// <summary>A deployment schedule: a cron expression or an interval in seconds, in a time zone.</summary>
/// <param name="Cron">A cron expression (5 fields, or 6 with seconds first).</param>
/// <param name="IntervalSeconds">Or an interval, in seconds.</param>
/// <param name="Timezone">An IANA time zone the cron expression (or the interval's anchor) is read in.</param>
/// <param name="Active">False to keep the schedule without creating runs.</param>
/// <param name="Anchor">When an interval counts from. <value>Defaults to 2020-01-01 00:00 in <paramref name="Timezone"/>.</value></param>
public sealed record ScheduleDto(string? Cron, double? IntervalSeconds, string Timezone = "UTC", bool Active = true, DateTimeOffset? Anchor = null);
