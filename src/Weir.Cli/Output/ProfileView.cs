using Weir.Client;

namespace Weir.Cli.Output;

/// <summary>
/// A profile as <c>weir profile ls</c> and <c>inspect</c> show it (and print it with <c>--json</c>): the key masked,
/// never itself.
/// </summary>
/// <param name="Name">The profile's name.</param>
/// <param name="ApiUrl">Its server's address.</param>
/// <param name="ApiKey"><see cref="WeirProfile.MaskedKey"/> when it keeps a key, else null.</param>
/// <param name="File">The file it is kept in.</param>
/// <param name="IsDefault">True for the profile <c>weir profile use</c> chose.</param>
/// <param name="IsActive">True for the profile commands use now (<c>WEIR_PROFILE</c>, else the default).</param>
/// <param name="OverriddenBy">For the active profile, the environment variables set that commands take instead of its values.</param>
internal sealed record ProfileView(string Name, string ApiUrl, string? ApiKey, string File, bool IsDefault, bool IsActive, IReadOnlyList<string> OverriddenBy)
{
    public static ProfileView Of(WeirProfile profile, WeirProfiles profiles, string? active, Func<string, string?> environment)
    {
        var isActive = profile.Name == active;
        var overridden = new List<string>();
        if (isActive)
        {
            overridden.AddRange(new[] { "WEIR_API_URL", "WEIR_API_KEY" }.Where(name => environment(name) is { Length: > 0 }));
        }

        return new ProfileView(profile.Name, profile.ApiUrl.ToString(), profile.ApiKey is null ? null : WeirProfile.MaskedKey,
            profiles.PathOf(profile.Name), profile.Name == profiles.DefaultName, isActive, overridden);
    }
}
