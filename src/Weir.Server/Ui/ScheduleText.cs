using System.Globalization;

namespace Weir.Server.Ui;

/// <summary>A schedule in words: <c>cron 0 2 * * * (Europe/Berlin)</c>, <c>every 5 min</c>.</summary>
public static class ScheduleText
{
    /// <summary>Describes one schedule.</summary>
    public static string Describe(ScheduleDto schedule)
    {
        var what = schedule.Cron is { } cron ? "cron " + cron
            : schedule.IntervalSeconds is { } seconds ? "every " + Fmt.Duration(TimeSpan.FromSeconds(seconds))
            : "none";
        var zone = schedule.Timezone is "UTC" or "" ? "" : string.Create(CultureInfo.InvariantCulture, $" ({schedule.Timezone})");
        return what + zone + (schedule.Active ? "" : " (paused)");
    }
}
