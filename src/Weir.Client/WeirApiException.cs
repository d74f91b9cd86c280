namespace Weir.Client;

/// <summary>The server refused a call; the message is the server's sentence, naming what is at fault.</summary>
public sealed class WeirApiException(int status, string message, string? field = null) : WeirException(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The field at fault, when the server named one.</summary>
    public string? Field { get; } = field;
}
