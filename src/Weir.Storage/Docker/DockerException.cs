namespace Weir.Storage.Docker;

/// <summary>The docker command could not be started, or a docker command failed; the message says which and why.</summary>
public sealed class DockerException : Client.WeirException
{
    /// <summary>Creates the exception.</summary>
    public DockerException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
