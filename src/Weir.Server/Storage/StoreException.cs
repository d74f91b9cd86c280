namespace Weir.Server.Storage;

/// <summary>A refusal with an HTTP status: the message is a sentence naming what is at fault, <see cref="Field"/> the request field when one is.</summary>
public sealed class StoreException(int status, string message, string? field = null) : Client.WeirException(message)
{
    /// <summary>The HTTP status the API answers with (400, 404, 409…).</summary>
    public int Status { get; } = status;

    /// <summary>The request field at fault, as a JSON path without the leading <c>$.</c> (e.g. <c>schedules[0].cron</c>).</summary>
    public string? Field { get; } = field;
}
