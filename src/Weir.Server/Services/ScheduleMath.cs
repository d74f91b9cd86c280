using Cronos;

namespace Weir.Server.Services;

/// <summary>When a schedule fires: cron expressions through Cronos, intervals from an anchor, both in the schedule's time zone.</summary>
internal static class ScheduleMath
{
    private static readonly DateTime s_defaultAnchor = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>Refuses a schedule that cannot fire, naming the field (<paramref name="path"/> is e.g. <c>schedules[0]</c>).</summary>
    public static void Validate(ScheduleDto schedule, string path)
    {
        if ((schedule.Cron is null) == (schedule.IntervalSeconds is null))
        {
            throw new StoreException(400, $"A schedule has either a cron expression or an interval in seconds ('{path}'), not {(schedule.Cron is null ? "neither" : "both")}.", path);
        }

        Zone(schedule, path);
        if (schedule.Cron is { } cron)
        {
            Parse(cron, path + ".cron");
        }
        else if (schedule.IntervalSeconds is not { } seconds || !double.IsFinite(seconds) || seconds < 1)
        {
            throw new StoreException(400, $"A schedule's interval is at least 1 second ('{path}.intervalSeconds').", path + ".intervalSeconds");
        }
    }

    /// <summary>The times in (<paramref name="after"/>, <paramref name="until"/>], at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Occurrences(ScheduleDto schedule, DateTimeOffset after, DateTimeOffset until, int max)
    {
        var zone = Zone(schedule, "schedule");
        if (schedule.Cron is { } cron)
        {
            return [.. Parse(cron, "cron").GetOccurrences(after.UtcDateTime, until.UtcDateTime, zone, fromInclusive: false, toInclusive: true)
                .Take(max).Select(t => new DateTimeOffset(t, TimeSpan.Zero))];
        }

        var interval = TimeSpan.FromSeconds(schedule.IntervalSeconds!.Value);
        var anchor = schedule.Anchor ?? new DateTimeOffset(s_defaultAnchor, zone.GetUtcOffset(s_defaultAnchor));
        var steps = Math.Floor((after - anchor) / interval) + 1;
        var times = new List<DateTimeOffset>();
        for (var next = anchor + (interval * Math.Max(0, steps)); next <= until && times.Count < max; next += interval)
        {
            if (next > after)
            {
                times.Add(next.ToUniversalTime());
            }
        }

        return times;
    }

    private static TimeZoneInfo Zone(ScheduleDto schedule, string path)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrEmpty(schedule.Timezone) ? "UTC" : schedule.Timezone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new StoreException(400, $"'{schedule.Timezone}' is not a time zone this server knows ('{path}.timezone'); use an IANA name such as Europe/Berlin or UTC.", path + ".timezone");
        }
    }

    private static CronExpression Parse(string cron, string field)
    {
        try
        {
            var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            return CronExpression.Parse(cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new StoreException(400, $"'{cron}' is not a cron expression ('{field}'): {ex.Message}", field);
        }
    }
}
