using Weir.Client;

namespace Weir.Cli;

/// <summary>The server the CLI talks to: <c>WEIR_API_URL</c> (default http://127.0.0.1:4200) with <c>WEIR_API_KEY</c>.</summary>
internal static class ServerApi
{
    public static string Url => Environment.GetEnvironmentVariable("WEIR_API_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:4200";

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
