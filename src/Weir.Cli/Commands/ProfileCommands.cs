using System.CommandLine;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir profile create|use|ls|inspect|rm</c>: the API URL and key of each Weir server, kept under Weir's home
/// (<see cref="WeirProfiles"/>). The key is read from standard input or a masked prompt, never from the command line,
/// and never printed.
/// </summary>
internal static class ProfileCommands
{
    private static readonly Func<string, string?> s_environment = Environment.GetEnvironmentVariable;

    public static Command Create()
    {
        var command = new Command("profile", "Keep the API URL and key of each Weir server you use. WEIR_PROFILE selects one for a shell; 'weir profile use' sets the default; WEIR_API_URL and WEIR_API_KEY, when set, go over both.");
        command.Subcommands.Add(CreateProfile());
        command.Subcommands.Add(Use());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Inspect());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command CreateProfile()
    {
        var name = new Argument<string>("name") { Description = "The profile's name (letters, digits, '.', '-', '_')." };
        var url = new Option<string>("--url") { Description = "The server's address, such as https://weir.example.com.", Required = true };
        var noKey = new Option<bool>("--no-key") { Description = "The server has no keys: ask for none." };
        var use = new Option<bool>("--use") { Description = "Also make it the default (as 'weir profile use NAME')." };
        var force = new Option<bool>("--force") { Description = "Replace a profile of that name." };
        var create = new Command("create", "Create a profile. Its API key comes from standard input when that is piped (printf %s \"$KEY\" | weir profile create NAME --url URL), else from a masked prompt; empty means none.")
        {
            name, url, noKey, use, force,
        };
        CliAction.Set(create, async (parse, cancellationToken) =>
        {
            var profiles = WeirProfiles.ForHome(s_environment);
            var profileName = parse.GetValue(name)!;
            var address = WeirProfiles.ParseUrl(parse.GetValue(url)!, "--url");
            WeirProfiles.CheckName(profileName);
            var key = parse.GetValue(noKey) ? null : await ReadKeyAsync(cancellationToken).ConfigureAwait(false);
            var profile = new WeirProfile(profileName, address, key);
            profiles.Save(profile, parse.GetValue(force));
            Terminal.Out.MarkupLine(Markup.Escape($"Created profile '{profile.Name}': {profile.ApiUrl} ({(key is null ? "no API key" : "API key " + WeirProfile.MaskedKey)}), in {profiles.PathOf(profile.Name)}."));
            if (parse.GetValue(use))
            {
                profiles.SetDefault(profile.Name);
                Terminal.Out.MarkupLine(Markup.Escape($"Commands now use profile '{profile.Name}'."));
                WarnOverrides(profile.Name);
            }
            else
            {
                Terminal.Out.MarkupLine(Markup.Escape($"Use it with 'weir profile use {profile.Name}', or for one shell with WEIR_PROFILE={profile.Name}."));
            }

            return ExitCodes.Success;
        });
        return create;
    }

    private static Command Use()
    {
        var name = new Argument<string>("name") { Description = "The profile commands use from now on (unless WEIR_PROFILE names another)." };
        var use = new Command("use", "Make a profile the default.") { name };
        CliAction.Set(use, (parse, _) =>
        {
            var profile = WeirProfiles.ForHome(s_environment).SetDefault(parse.GetValue(name)!);
            Terminal.Out.MarkupLine(Markup.Escape($"Commands now use profile '{profile.Name}' ({profile.ApiUrl})."));
            WarnOverrides(profile.Name);
            return Task.FromResult(ExitCodes.Success);
        });
        return use;
    }

    private static Command List()
    {
        var json = JsonOutput.Option();
        var ls = new Command("ls", "List the profiles; * marks the one in use.") { json };
        CliAction.Set(ls, (parse, _) =>
        {
            var profiles = WeirProfiles.ForHome(s_environment);
            var active = ActiveName(profiles);
            var views = profiles.List().Select(p => ProfileView.Of(p, profiles, active, s_environment)).ToList();
            if (parse.GetValue(json))
            {
                return Task.FromResult(JsonOutput.Write(views));
            }

            if (views.Count == 0)
            {
                Terminal.Out.MarkupLine(Markup.Escape($"No profiles in {profiles.Folder}; commands use WEIR_API_URL, else {WeirConnection.DefaultUrl}. Create one with 'weir profile create NAME --url URL'."));
                return Task.FromResult(ExitCodes.Success);
            }

            var table = new Table().AddColumns(" ", "Name", "API URL", "API key");
            foreach (var view in views)
            {
                table.AddRow(view.IsActive ? "*" : "", Markup.Escape(view.Name), Markup.Escape(view.ApiUrl), view.ApiKey is null ? "none" : Markup.Escape(view.ApiKey));
            }

            Terminal.Out.Write(table);
            var selectedBy = s_environment(WeirProfiles.SelectVariable) is { Length: > 0 } ? WeirProfiles.SelectVariable : "weir profile use";
            Terminal.Out.MarkupLine(Markup.Escape(active is null
                ? "No profile is in use: neither WEIR_PROFILE nor 'weir profile use' chose one."
                : views.Any(v => v.IsActive)
                    ? $"* in use, chosen by {selectedBy}."
                    : $"{selectedBy} chose profile '{active}', which is not here."));
            return Task.FromResult(ExitCodes.Success);
        });
        return ls;
    }

    private static Command Inspect()
    {
        var name = new Argument<string?>("name") { Description = "The profile (default: the one in use).", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOutput.Option();
        var inspect = new Command("inspect", "Show a profile: its URL, whether it keeps a key (masked), its file, and whether commands use it.") { name, json };
        CliAction.Set(inspect, (parse, _) =>
        {
            var profiles = WeirProfiles.ForHome(s_environment);
            var active = ActiveName(profiles);
            var profileName = parse.GetValue(name) ?? active ?? throw new CliError(
                $"No profile is in use (neither WEIR_PROFILE nor 'weir profile use' chose one), so commands use WEIR_API_URL, else {WeirConnection.DefaultUrl}; name the profile to inspect (weir profile ls lists them).");
            var view = ProfileView.Of(profiles.Get(profileName), profiles, active, s_environment);
            if (parse.GetValue(json))
            {
                return Task.FromResult(JsonOutput.Write(view, indented: true));
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Profile", Markup.Escape(view.Name));
            grid.AddRow("API URL", Markup.Escape(view.ApiUrl));
            grid.AddRow("API key", view.ApiKey is null ? "none" : Markup.Escape(view.ApiKey));
            grid.AddRow("File", Markup.Escape(view.File));
            grid.AddRow("In use", view.IsActive
                ? s_environment(WeirProfiles.SelectVariable) is { Length: > 0 } ? "yes (WEIR_PROFILE)" : "yes (the default: weir profile use)"
                : view.IsDefault ? $"no: it is the default, but WEIR_PROFILE selects '{Markup.Escape(active!)}'" : "no");
            Terminal.Out.Write(grid);
            foreach (var variable in view.OverriddenBy)
            {
                Terminal.Out.MarkupLine(Markup.Escape(variable == "WEIR_API_URL"
                    ? "WEIR_API_URL is set: commands use it instead of this profile's URL, and send this profile's key only if it names the same server."
                    : "WEIR_API_KEY is set: commands send it instead of this profile's key."));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return inspect;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "The profile to remove." };
        var rm = new Command("rm", "Remove a profile and its key.") { name };
        CliAction.Set(rm, (parse, _) =>
        {
            var profileName = parse.GetValue(name)!;
            var wasDefault = WeirProfiles.ForHome(s_environment).Remove(profileName);
            Terminal.Out.MarkupLine(Markup.Escape($"Removed profile '{profileName}'."));
            if (wasDefault)
            {
                Terminal.Out.MarkupLine(Markup.Escape($"It was the default; commands now use WEIR_API_URL, else {WeirConnection.DefaultUrl}, until 'weir profile use NAME' or WEIR_PROFILE chooses another."));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return rm;
    }

    /// <summary>The profile commands use now: WEIR_PROFILE's, else the default (which may not exist).</summary>
    private static string? ActiveName(WeirProfiles profiles) =>
        s_environment(WeirProfiles.SelectVariable) is { Length: > 0 } selected ? selected : profiles.DefaultName;

    private static void WarnOverrides(string name)
    {
        if (s_environment(WeirProfiles.SelectVariable) is { Length: > 0 } selected && selected != name)
        {
            Terminal.Out.MarkupLine(Markup.Escape($"WEIR_PROFILE is set to '{selected}', which goes over the default in this shell; unset it to use '{name}'."));
        }

        foreach (var variable in new[] { "WEIR_API_URL", "WEIR_API_KEY" }.Where(v => s_environment(v) is { Length: > 0 }))
        {
            Terminal.Out.MarkupLine(Markup.Escape($"{variable} is set, and commands take it over the profile's value."));
        }
    }

    /// <summary>The key from standard input when it is redirected, else from a masked prompt; empty is none.</summary>
    private static async Task<string?> ReadKeyAsync(CancellationToken cancellationToken)
    {
        var key = Console.IsInputRedirected
            ? (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n')
            : Terminal.Error.Prompt(new TextPrompt<string>("API key (empty if the server has none):").Secret().AllowEmpty());
        return key.Length > 0 ? key : null;
    }
}
