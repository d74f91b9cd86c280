using Weir.Client;

namespace Weir.Cli.Tests;

/// <summary>
/// Which server and key a client uses (<see cref="WeirConnection.Resolve"/>, behind <c>WeirClientOptions.FromEnvironment</c>
/// and so every command): WEIR_API_URL and WEIR_API_KEY over the selected profile (WEIR_PROFILE over the default one)
/// over http://127.0.0.1:4200 without a key.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WeirConnectionTests : IDisposable
{
    private readonly string _home = TempFolder.New("weir-cli-tests-");
    private readonly Dictionary<string, string?> _environment = [];
    private readonly WeirProfiles _profiles;

    public WeirConnectionTests()
    {
        _environment["WEIR_HOME"] = _home;
        _profiles = WeirProfiles.ForHome(Variable);
        _profiles.Save(new WeirProfile("staging", new Uri("http://staging.example.com:4200"), "staging-key"), replace: false);
        _profiles.Save(new WeirProfile("prod", new Uri("https://weir.example.com/"), "prod-key"), replace: false);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Resolve_WithNothingSet_UsesTheLocalServerWithoutAKey()
    {
        var connection = Resolve();

        connection.ApiUrl.ShouldBe(new Uri("http://127.0.0.1:4200"));
        connection.ApiKey.ShouldBeNull();
        connection.Profile.ShouldBeNull();
    }

    [Fact]
    public void Resolve_WithADefaultProfile_UsesItsUrlAndKey()
    {
        _profiles.SetDefault("staging");

        var connection = Resolve();

        connection.ApiUrl.ShouldBe(new Uri("http://staging.example.com:4200"));
        connection.ApiKey.ShouldBe("staging-key");
        connection.SelectedBy.ShouldBe("weir profile use");
    }

    [Fact]
    public void Resolve_WeirProfile_GoesOverTheDefault()
    {
        _profiles.SetDefault("staging");
        _environment["WEIR_PROFILE"] = "prod";

        var connection = Resolve();

        connection.Profile!.Name.ShouldBe("prod");
        connection.ApiUrl.ShouldBe(new Uri("https://weir.example.com/"));
        connection.ApiKey.ShouldBe("prod-key");
        connection.SelectedBy.ShouldBe("WEIR_PROFILE");
    }

    [Fact]
    public void Resolve_WeirApiKey_GoesOverTheProfilesKey()
    {
        _profiles.SetDefault("prod");
        _environment["WEIR_API_KEY"] = "from-environment";

        var connection = Resolve();

        connection.ApiUrl.ShouldBe(new Uri("https://weir.example.com/"));
        connection.ApiKey.ShouldBe("from-environment");
    }

    [Fact]
    public void Resolve_WeirApiUrlOfAnotherServer_GoesOverTheProfileAndGetsNoKeyFromIt()
    {
        _profiles.SetDefault("prod");
        _environment["WEIR_API_URL"] = "http://127.0.0.1:5000";

        var connection = Resolve();

        connection.ApiUrl.ShouldBe(new Uri("http://127.0.0.1:5000"));
        connection.ApiKey.ShouldBeNull("a profile's key goes to its own server only");
    }

    [Fact]
    public void Resolve_WeirApiUrlOfTheProfilesServer_StillSendsTheProfilesKey()
    {
        _profiles.SetDefault("prod");
        _environment["WEIR_API_URL"] = "https://WEIR.example.com:443";

        Resolve().ApiKey.ShouldBe("prod-key");
    }

    [Fact]
    public void Resolve_EmptyVariables_CountAsUnset()
    {
        _profiles.SetDefault("staging");
        _environment["WEIR_API_URL"] = "";
        _environment["WEIR_API_KEY"] = "";
        _environment["WEIR_PROFILE"] = "";

        var connection = Resolve();

        connection.ApiUrl.ShouldBe(new Uri("http://staging.example.com:4200"));
        connection.ApiKey.ShouldBe("staging-key");
    }

    [Fact]
    public void Resolve_WeirProfileNamingNoProfile_IsAnErrorNamingItAndTheFix()
    {
        _environment["WEIR_PROFILE"] = "qa";

        var error = Should.Throw<WeirException>(Resolve);

        error.Message.ShouldContain("WEIR_PROFILE names the profile 'qa', which is not in " + _profiles.Folder);
        error.Message.ShouldContain("weir profile create qa --url URL");
    }

    [Fact]
    public void Resolve_ProfileFileOthersMayRead_IsRefusedWithTheChmodThatFixesIt()
    {
        _profiles.SetDefault("prod");
        var path = _profiles.PathOf("prod");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Should.Throw<WeirException>(Resolve);

        error.Message.ShouldContain($"The profile file {path} may be read or changed by other users (mode 0644)");
        error.Message.ShouldContain($"chmod 600 {path}");
        error.Message.ShouldNotContain("prod-key");
    }

    [Fact]
    public void Save_WritesTheProfileOwnerOnlyInAnOwnerOnlyFolder()
    {
        File.GetUnixFileMode(_profiles.PathOf("prod")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(_profiles.Folder).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _profiles.SetDefault("prod");
        File.GetUnixFileMode(Path.Combine(_profiles.Folder, "default")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(_profiles.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["default", "prod.json", "staging.json"]);
    }

    [Fact]
    public void Profile_ToString_NeverShowsTheKey() =>
        _profiles.Get("prod").ToString().ShouldBe("prod: https://weir.example.com/ (key ********)");

    private WeirConnection Resolve() => WeirConnection.Resolve(Variable);

    private string? Variable(string name) => _environment.GetValueOrDefault(name);
}
