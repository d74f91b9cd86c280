using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Server.Ui;

/// <summary>How the pages write times, durations, ids and states.</summary>
public static class Fmt
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>UTC, to the second.</summary>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>UTC, to the millisecond, without the date (log lines).</summary>
    public static string Clock(DateTimeOffset time) => time.ToUniversalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>"3 min ago", "in 5 s".</summary>
    public static string Ago(DateTimeOffset time, DateTimeOffset now)
    {
        var span = now - time;
        var text = Duration(span.Duration());
        return span >= TimeSpan.Zero ? text + " ago" : "in " + text;
    }

    /// <summary>"850 ms", "12 s", "4 min 3 s", "2 h 5 min", "3 d 4 h".</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms"),
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds} s"),
        { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours} h {span.Minutes} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h"),
    };

    /// <summary>A run's short id, as the CLI shows and takes it (<see cref="FlowRunDto.ShortId"/>: the id's first digits are a timestamp, alike for runs created together).</summary>
    public static string Short(Guid id) => FlowRunDto.ShortIdOf(id);

    /// <summary>A commit or hash, shortened to 12 characters.</summary>
    public static string Hash(string? hash) => hash is null ? "" : hash.Length > 12 ? hash[..12] : hash;

    /// <summary>The CSS class of a state (Late has its own colour).</summary>
    public static string StateClass(StateType state, string? name = null) =>
        name == "Late" ? "state-late" : "state-" + state.ToString().ToLowerInvariant();

    /// <summary>A JSON value as compact text (strings without quotes).</summary>
    public static string Value(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>A JSON document, indented.</summary>
    public static string Indented(JsonNode? node) => node?.ToJsonString(s_indented) ?? "";

    /// <summary>Count with a unit, singular or plural.</summary>
    public static string Count(int count, string unit) => string.Create(CultureInfo.InvariantCulture, $"{count:N0} {unit}{(count == 1 ? "" : "s")}");
}
