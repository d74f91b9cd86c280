namespace Weir.Storage.Config;

/// <summary>Configuration that cannot be used: bad YAML, an unknown key, a wrong type. The message starts with the location.</summary>
public sealed class ConfigException : Client.WeirException
{
    /// <summary>Creates the exception; the message is prefixed with the location.</summary>
    public ConfigException(SourceLocation location, string message)
        : base($"{location}: {message}")
    {
        Location = location;
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }
}
