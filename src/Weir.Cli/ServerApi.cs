using Weir.Client;

namespace Weir.Cli;

/// <summary>
/// The server the CLI talks to: <c>WEIR_API_URL</c> and <c>WEIR_API_KEY</c> when set, else the selected profile's (weir
/// profile), else http://127.0.0.1:4200 without a key (<see cref="WeirConnection"/>).
/// </summary>
internal static class ServerApi
{
    /// <summary>The server's address, for messages (never with a key).</summary>
    public static string Url
    {
        get
        {
            try
            {
                return WeirConnection.Resolve(Environment.GetEnvironmentVariable).ApiUrl.ToString().TrimEnd('/');
            }
            catch (WeirException)
            {
                // Called while reporting another error: the profile's own error was reported when the client was made.
                return Environment.GetEnvironmentVariable("WEIR_API_URL") is { Length: > 0 } url ? url : WeirConnection.DefaultUrl;
            }
        }
    }

    public static WeirClient Client(string agent = "weir-cli") => WeirClient.FromEnvironment(agent);

    /// <summary>Splits <c>flow/deployment</c>.</summary>
    public static (string Flow, string Name) DeploymentName(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < text.Length - 1
            ? (text[..slash], text[(slash + 1)..])
            : throw new CliError($"'{text}' is not a deployment name; write it as FLOW/DEPLOYMENT (see weir deployment ls).");
    }
}
