namespace Weir.Client;

/// <summary>
/// The server a client talks to and the key it sends, found in this order: the environment variables
/// <c>WEIR_API_URL</c> and <c>WEIR_API_KEY</c> (else a run's token, <c>WEIR_RUN_TOKEN</c>), each when set; then the selected profile (<c>WEIR_PROFILE</c>, else
/// the one <c>weir profile use</c> chose); then <c>http://127.0.0.1:4200</c> without a key. A profile's key goes only
/// to that profile's URL: with <c>WEIR_API_URL</c> naming another server, it is not sent.
/// </summary>
/// <param name="ApiUrl">The server's address.</param>
/// <param name="ApiKey">The key to send, or null.</param>
/// <param name="Profile">The selected profile, or null.</param>
/// <param name="SelectedBy">What selected <paramref name="Profile"/>: <c>WEIR_PROFILE</c>, or <c>weir profile use</c>.</param>
internal sealed record WeirConnection(Uri ApiUrl, string? ApiKey, WeirProfile? Profile, string? SelectedBy)
{
    /// <summary>The address without a profile or <c>WEIR_API_URL</c>.</summary>
    public const string DefaultUrl = "http://127.0.0.1:4200";

    /// <summary>Resolves the connection from <paramref name="environment"/> (a variable's value, or null) and the profiles it points at.</summary>
    /// <exception cref="WeirException">A variable holds no URL, or the selected profile is missing or unreadable.</exception>
    public static WeirConnection Resolve(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var profiles = WeirProfiles.ForHome(environment);
        var (profile, selectedBy) = Selected(profiles, environment);
        var url = environment("WEIR_API_URL") is { Length: > 0 } fromEnvironment
            ? WeirProfiles.ParseUrl(fromEnvironment, "WEIR_API_URL")
            : profile?.ApiUrl ?? new Uri(DefaultUrl);
        // Inside a run (a container's runner, a shell step) the run's token stands in for a key: the worker never hands its own.
        var key = environment("WEIR_API_KEY") is { Length: > 0 } keyFromEnvironment
            ? keyFromEnvironment
            : environment(WeirClientOptions.RunTokenVariable) is { Length: > 0 } runToken
            ? runToken
            : profile is not null && profile.IsFor(url) ? profile.ApiKey : null;
        return new WeirConnection(url, key, profile, selectedBy);
    }

    /// <summary>The profile <c>WEIR_PROFILE</c> names, else the default one, with what selected it.</summary>
    public static (WeirProfile? Profile, string? SelectedBy) Selected(WeirProfiles profiles, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(WeirProfiles.SelectVariable) is { Length: > 0 } named)
        {
            return (profiles.Find(named) ?? throw new WeirException(
                $"{WeirProfiles.SelectVariable} names the profile '{named}', which is not in {profiles.Folder}; create it with 'weir profile create {named} --url URL', or unset {WeirProfiles.SelectVariable} (weir profile ls lists the profiles)."), WeirProfiles.SelectVariable);
        }

        if (profiles.DefaultName is { } chosen)
        {
            return (profiles.Find(chosen) ?? throw new WeirException(
                $"The default profile '{chosen}' (chosen with weir profile use) is not in {profiles.Folder} any more; choose another with 'weir profile use NAME', or create it again with 'weir profile create {chosen} --url URL'."), "weir profile use");
        }

        return (null, null);
    }
}
