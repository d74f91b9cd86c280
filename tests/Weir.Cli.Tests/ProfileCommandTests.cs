using System.Text.Json;
using Weir.Server;

namespace Weir.Cli.Tests;

/// <summary>
/// <c>weir profile create|use|ls|inspect|rm</c> run as the real command, each test in a Weir home of its own, and the
/// precedence of WEIR_API_URL / WEIR_API_KEY over the selected profile against a real server that needs a key.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProfileCommandTests : IAsyncLifetime
{
    private const string ServerKey = "admin-key-4f3c9a1e7b20";
    private const string OtherKey = "wrong-key-0123456789";

    private readonly string _home = TempFolder.New("weir-cli-tests-");
    private WeirServer _server = null!;

    private string Url => _server.Url.ToString().TrimEnd('/');

    public async Task InitializeAsync() =>
        _server = await WeirServer.StartAsync(new WeirServerOptions { Port = 0, WeirHome = Path.Combine(_home, "server"), ApiKey = ServerKey, WorkerApiKeys = [], BackgroundServices = false });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Create_KeyFromStandardInput_KeepsItInAnOwnerOnlyFileAndNeverPrintsIt()
    {
        var created = await Weir(ServerKey + "\n", "profile", "create", "local", "--url", Url);

        created.ExitCode.ShouldBe(0, created.Stderr);
        created.Stdout.ShouldContain($"Created profile 'local': {Url}/ (API key ********)");
        created.Stdout.ShouldContain("Use it with 'weir profile use local'");
        (created.Stdout + created.Stderr).ShouldNotContain(ServerKey);
        var file = Path.Combine(_home, "profiles", "local.json");
        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.Combine(_home, "profiles")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stored = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
        stored.GetProperty("apiUrl").GetString().ShouldBe(Url + "/");
        stored.GetProperty("apiKey").GetString().ShouldBe(ServerKey, "the line end that ends the piped key is not part of it");
    }

    [Fact]
    public async Task Create_Refusals_NameWhatIsWrongAndWhatToDo()
    {
        (await Weir("", "profile", "create", "local", "--url", Url, "--no-key")).ExitCode.ShouldBe(0);

        var again = await Weir("", "profile", "create", "local", "--url", Url, "--no-key");
        again.ExitCode.ShouldBe(2);
        again.Stderr.ShouldContain("The profile 'local' exists already");
        again.Stderr.ShouldContain("add --force to replace it");
        (await Weir("", "profile", "create", "local", "--url", "http://127.0.0.1:1", "--no-key", "--force")).ExitCode.ShouldBe(0);

        var badName = await Weir("", "profile", "create", "../up", "--url", Url, "--no-key");
        badName.ExitCode.ShouldBe(2);
        badName.Stderr.ShouldContain("'../up' cannot name a profile: '.' at position 1 is not allowed");

        var password = await Weir("", "profile", "create", "creds", "--url", "https://me:hunter2@weir.example.com", "--no-key");
        password.ExitCode.ShouldBe(2);
        password.Stderr.ShouldContain("--url holds a user name or password");
        password.Stderr.ShouldNotContain("hunter2");

        var notUrl = await Weir("", "profile", "create", "ftp", "--url", "ftp://weir.example.com", "--no-key");
        notUrl.ExitCode.ShouldBe(2);
        notUrl.Stderr.ShouldContain("--url is not an http:// or https:// URL");

        var keyOnCommandLine = await Weir("", "profile", "create", "argv", "--url", Url, "--key", ServerKey);
        keyOnCommandLine.ExitCode.ShouldBe(2, "there is no option that takes the key");
        File.Exists(Path.Combine(_home, "profiles", "argv.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task LsAndInspect_ShowWhichProfileIsInUse_WithTheKeyMasked()
    {
        (await Weir(ServerKey, "profile", "create", "prod", "--url", Url)).ExitCode.ShouldBe(0);
        (await Weir("", "profile", "create", "dev", "--url", "http://127.0.0.1:4200", "--no-key", "--use")).ExitCode.ShouldBe(0);

        var ls = await Weir(null, "profile", "ls", "--json");
        ls.ExitCode.ShouldBe(0, ls.Stderr);
        ls.Stdout.ShouldNotContain(ServerKey);
        var listed = JsonDocument.Parse(ls.Stdout).RootElement.EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        listed.Keys.Order(StringComparer.Ordinal).ShouldBe(["dev", "prod"]);
        listed["prod"].GetProperty("apiKey").GetString().ShouldBe("********");
        listed["prod"].GetProperty("apiUrl").GetString().ShouldBe(Url + "/");
        listed["prod"].GetProperty("isActive").GetBoolean().ShouldBeFalse();
        listed["dev"].GetProperty("apiKey").ValueKind.ShouldBe(JsonValueKind.Null);
        listed["dev"].GetProperty("isDefault").GetBoolean().ShouldBeTrue();
        listed["dev"].GetProperty("isActive").GetBoolean().ShouldBeTrue();

        var table = await Weir(null, "profile", "ls");
        table.ExitCode.ShouldBe(0, table.Stderr);
        table.Stdout.ShouldContain("* in use, chosen by weir profile use.");
        table.Stdout.ShouldNotContain(ServerKey);

        // WEIR_PROFILE goes over the default, for this command only.
        var selected = await WeirWith(null, new() { ["WEIR_PROFILE"] = "prod", ["WEIR_API_KEY"] = OtherKey }, "profile", "inspect", "--json");
        selected.ExitCode.ShouldBe(0, selected.Stderr);
        var prod = JsonDocument.Parse(selected.Stdout).RootElement;
        prod.GetProperty("name").GetString().ShouldBe("prod");
        prod.GetProperty("isActive").GetBoolean().ShouldBeTrue();
        prod.GetProperty("isDefault").GetBoolean().ShouldBeFalse();
        prod.GetProperty("apiKey").GetString().ShouldBe("********");
        prod.GetProperty("file").GetString().ShouldBe(Path.Combine(_home, "profiles", "prod.json"));
        prod.GetProperty("overriddenBy").EnumerateArray().Select(v => v.GetString()).ShouldBe(["WEIR_API_KEY"]);

        var text = await WeirWith(null, new() { ["WEIR_PROFILE"] = "prod" }, "profile", "inspect");
        text.ExitCode.ShouldBe(0, text.Stderr);
        text.Stdout.ShouldContain("********");
        text.Stdout.ShouldContain("yes (WEIR_PROFILE)");
        text.Stdout.ShouldNotContain(ServerKey);
        var notInUse = await WeirWith(null, new() { ["WEIR_PROFILE"] = "prod" }, "profile", "inspect", "dev");
        notInUse.Stdout.ShouldContain("no: it is the default, but WEIR_PROFILE selects 'prod'");
    }

    [Fact]
    public async Task UseAndRm_SetAndClearTheDefault()
    {
        var none = await Weir(null, "profile", "use", "prod");
        none.ExitCode.ShouldBe(2);
        none.Stderr.ShouldContain($"There is no profile 'prod' in {Path.Combine(_home, "profiles")}; there are no profiles yet.");

        (await Weir(ServerKey, "profile", "create", "prod", "--url", Url)).ExitCode.ShouldBe(0);
        var use = await Weir(null, "profile", "use", "prod");
        use.ExitCode.ShouldBe(0, use.Stderr);
        use.Stdout.ShouldContain($"Commands now use profile 'prod' ({Url}/).");
        File.ReadAllText(Path.Combine(_home, "profiles", "default")).ShouldBe("prod\n");

        var inspect = await Weir(null, "profile", "inspect");
        inspect.Stdout.ShouldContain("yes (the default: weir profile use)");

        var rm = await Weir(null, "profile", "rm", "prod");
        rm.ExitCode.ShouldBe(0, rm.Stderr);
        rm.Stdout.ShouldContain("Removed profile 'prod'.");
        rm.Stdout.ShouldContain("It was the default");
        Directory.GetFiles(Path.Combine(_home, "profiles")).ShouldBeEmpty("the key's file and the default are gone");

        var nothing = await Weir(null, "profile", "inspect");
        nothing.ExitCode.ShouldBe(2);
        nothing.Stderr.ShouldContain("No profile is in use");
        (await Weir(null, "profile", "rm", "prod")).Stderr.ShouldContain("There is no profile 'prod'");
    }

    [Fact]
    public async Task Commands_UseTheSelectedProfile_AndTheEnvironmentVariablesGoOverIt()
    {
        (await Weir(ServerKey, "profile", "create", "right", "--url", Url, "--use")).ExitCode.ShouldBe(0);
        (await Weir(OtherKey, "profile", "create", "wrong", "--url", Url)).ExitCode.ShouldBe(0);

        // The default profile's URL and key reach the server.
        var byDefault = await Weir(null, "variable", "ls", "--json");
        byDefault.ExitCode.ShouldBe(0, byDefault.Stderr);

        // WEIR_PROFILE over the default: its wrong key is refused.
        var selected = await WeirWith(null, new() { ["WEIR_PROFILE"] = "wrong" }, "variable", "ls");
        selected.ExitCode.ShouldNotBe(0);
        selected.Stderr.ShouldContain("The API key is not one this server knows");

        // WEIR_API_KEY over the selected profile's key.
        var keyOverride = await WeirWith(null, new() { ["WEIR_PROFILE"] = "wrong", ["WEIR_API_KEY"] = ServerKey }, "variable", "ls", "--json");
        keyOverride.ExitCode.ShouldBe(0, keyOverride.Stderr);

        // WEIR_API_URL over the profile's URL: nothing listens there, and the message names it.
        var urlOverride = await WeirWith(null, new() { ["WEIR_API_URL"] = "http://127.0.0.1:9" }, "variable", "ls");
        urlOverride.ExitCode.ShouldBe(2);
        urlOverride.Stderr.ShouldContain("Cannot reach the Weir server at http://127.0.0.1:9");

        // WEIR_API_URL naming the profile's own server (with a trailing slash) still gets the profile's key.
        var sameServer = await WeirWith(null, new() { ["WEIR_API_URL"] = Url + "/" }, "variable", "ls", "--json");
        sameServer.ExitCode.ShouldBe(0, sameServer.Stderr);

        foreach (var result in new[] { byDefault, selected, keyOverride, urlOverride, sameServer })
        {
            (result.Stdout + result.Stderr).ShouldNotContain(ServerKey);
            (result.Stdout + result.Stderr).ShouldNotContain(OtherKey);
        }
    }

    [Fact]
    public async Task Commands_WithASelectedProfileThatIsMissing_SayWhichAndHowToFixIt()
    {
        var missing = await WeirWith(null, new() { ["WEIR_PROFILE"] = "qa" }, "variable", "ls");

        missing.ExitCode.ShouldBe(2);
        missing.Stderr.ShouldContain("WEIR_PROFILE names the profile 'qa', which is not in");
        missing.Stderr.ShouldContain("weir profile create qa --url URL");
    }

    private Task<ProcessResult> Weir(string? input, params string[] args) => WeirWith(input, [], args);

    /// <summary>Runs weir in this test's home with no server variables but <paramref name="environment"/>'s (the test host's own are blanked).</summary>
    private Task<ProcessResult> WeirWith(string? input, Dictionary<string, string> environment, params string[] args)
    {
        var variables = new Dictionary<string, string> { ["WEIR_API_URL"] = "", ["WEIR_API_KEY"] = "", ["WEIR_PROFILE"] = "" };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return new WeirCli(_home).With(variables).RunAsync(_home, args, input ?? "");
    }
}
