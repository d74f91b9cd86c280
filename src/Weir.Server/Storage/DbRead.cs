using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Weir.Server.Storage;

/// <summary>Reads columns whatever the provider returns for them (SQLite: text and integers; PostgreSQL: uuid, timestamptz).</summary>
internal static class DbRead
{
    public static string Text(this DbDataReader reader, string column) => (string)reader[column];

    public static string? TextOrNull(this DbDataReader reader, string column) => reader[column] as string;

    public static Guid Guid(this DbDataReader reader, string column) => ToGuid(reader[column]) ?? throw new InvalidOperationException($"Column {column} is null.");

    public static Guid? GuidOrNull(this DbDataReader reader, string column) => ToGuid(reader[column]);

    public static DateTimeOffset Time(this DbDataReader reader, string column) => ToTime(reader[column]) ?? throw new InvalidOperationException($"Column {column} is null.");

    public static DateTimeOffset? TimeOrNull(this DbDataReader reader, string column) => ToTime(reader[column]);

    public static int Int(this DbDataReader reader, string column) => Convert.ToInt32(reader[column], CultureInfo.InvariantCulture);

    public static int? IntOrNull(this DbDataReader reader, string column) => reader[column] is DBNull ? null : Convert.ToInt32(reader[column], CultureInfo.InvariantCulture);

    public static long Long(this DbDataReader reader, string column) => Convert.ToInt64(reader[column], CultureInfo.InvariantCulture);

    public static double Double(this DbDataReader reader, string column) => Convert.ToDouble(reader[column], CultureInfo.InvariantCulture);

    public static bool Flag(this DbDataReader reader, string column) => Convert.ToInt64(reader[column], CultureInfo.InvariantCulture) != 0;

    public static StateType State(this DbDataReader reader, string column) => Enum.Parse<StateType>(reader.Text(column));

    public static JsonObject Object(this DbDataReader reader, string column) => JsonNode.Parse(reader.Text(column)) as JsonObject ?? [];

    public static JsonArray Array(this DbDataReader reader, string column) => JsonNode.Parse(reader.Text(column)) as JsonArray ?? [];

    public static Guid? ToGuid(object? value) => value switch
    {
        System.Guid id => id,
        string text => System.Guid.Parse(text),
        _ => null,
    };

    public static DateTimeOffset? ToTime(object? value) => value switch
    {
        DateTimeOffset time => time.ToUniversalTime(),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => null,
    };
}
