namespace Weir.Server.Data;

/// <summary>A request the store refuses: the message names the thing at fault; the status is the HTTP answer.</summary>
internal sealed class StoreException(int status, string message, string? field = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Field { get; } = field;
}
