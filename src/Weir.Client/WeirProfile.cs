namespace Weir.Client;

/// <summary>A server connection kept by <c>weir profile</c>: its name, the API's URL and, when the server has keys, the key.</summary>
/// <param name="Name">The profile's name (its file is <c>NAME.json</c> in <see cref="WeirProfiles.Folder"/>).</param>
/// <param name="ApiUrl">The server's address.</param>
/// <param name="ApiKey">The key sent to <paramref name="ApiUrl"/>, and only there; null for a server without keys.</param>
internal sealed record WeirProfile(string Name, Uri ApiUrl, string? ApiKey)
{
    /// <summary>How a key is shown: never the key itself, nor any part of it.</summary>
    public const string MaskedKey = "********";

    /// <summary>True when <paramref name="url"/> is this profile's server (scheme, host, port and path; a trailing slash aside).</summary>
    public bool IsFor(Uri url) => string.Equals(Normalized(url), Normalized(ApiUrl), StringComparison.Ordinal);

    /// <summary>Also hides the key from a record's own printout (a debugger, a log of the object).</summary>
    public override string ToString() => $"{Name}: {ApiUrl} (key {(ApiKey is null ? "none" : MaskedKey)})";

    private static string Normalized(Uri url) => url.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
