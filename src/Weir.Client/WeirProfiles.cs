using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>
/// The profiles <c>weir profile</c> keeps in <c>profiles/</c> under Weir's home (<c>WEIR_HOME</c>, else <c>~/.weir</c>):
/// a file per profile, <c>NAME.json</c> holding <c>{"apiUrl": "…", "apiKey": "…"}</c>, written readable by its owner
/// only (mode 0600, in a 0700 folder) and refused when others may read it; and <c>default</c>, the name of the profile
/// <c>weir profile use</c> chose, which commands use unless <c>WEIR_PROFILE</c> names another.
/// </summary>
internal sealed class WeirProfiles
{
    /// <summary>The environment variable that selects a profile for one shell or command, over the default.</summary>
    public const string SelectVariable = "WEIR_PROFILE";

    private const string DefaultFile = "default";
    private const int MaxNameLength = 200;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public WeirProfiles(string folder) => Folder = Path.GetFullPath(folder);

    /// <summary>The folder of the profiles.</summary>
    public string Folder { get; }

    /// <summary>The rule for profile names, as refusals state it.</summary>
    public static string NameRule { get; } =
        $"a profile name is 1 to {MaxNameLength} characters, each an ASCII letter (A-Z, a-z), a digit (0-9), '.', '-' or '_', and starts with a letter or digit";

    /// <summary>The profiles of Weir's home as <paramref name="environment"/> names it (<c>WEIR_HOME</c>, else <c>~/.weir</c>).</summary>
    public static WeirProfiles ForHome(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var home = environment("WEIR_HOME") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".weir");
        return new WeirProfiles(Path.Combine(home, "profiles"));
    }

    /// <summary>The file of profile <paramref name="name"/>.</summary>
    public string PathOf(string name) => Path.Combine(Folder, CheckName(name) + ".json");

    /// <summary>The profile <c>weir profile use</c> chose, or null.</summary>
    public string? DefaultName
    {
        get
        {
            var path = Path.Combine(Folder, DefaultFile);
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } name ? name : null;
        }
    }

    /// <summary>Every profile, by name.</summary>
    public IReadOnlyList<WeirProfile> List() =>
        Directory.Exists(Folder)
            ? [.. Directory.EnumerateFiles(Folder, "*.json")
                .Select(path => Path.GetFileNameWithoutExtension(path))
                .Where(name => NameProblem(name) is null)
                .Order(StringComparer.Ordinal)
                .Select(name => Find(name)!)]
            : [];

    /// <summary>Profile <paramref name="name"/>, or null when there is none.</summary>
    /// <exception cref="WeirException">Its file cannot be read, is not a profile, or others may read it.</exception>
    public WeirProfile? Find(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & Others) != 0)
        {
            var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
            throw new WeirException($"The profile file {path} may be read or changed by other users (mode {mode}), and it is where profile '{name}' keeps its API key; make it yours alone with 'chmod 600 {path}', then try again.");
        }

        try
        {
            var document = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
            var url = document["apiUrl"]?.GetValue<string>() ?? throw new JsonException("no apiUrl");
            var key = document["apiKey"]?.GetValue<string>();
            return new WeirProfile(name, ParseUrl(url, $"The apiUrl in {path}"), key is { Length: > 0 } ? key : null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new WeirException($"The profile file {path} is not a Weir profile ({ex.Message}); create it again with 'weir profile create {name} --url URL --force', or remove it with 'weir profile rm {name}'.", ex);
        }
    }

    /// <summary>Profile <paramref name="name"/>.</summary>
    /// <exception cref="WeirException">There is no such profile (the message lists those there are).</exception>
    public WeirProfile Get(string name) =>
        Find(name) ?? throw new WeirException($"There is no profile '{name}' in {Folder}; {Known()} Create it with 'weir profile create {name} --url URL'.");

    /// <summary>Writes <paramref name="profile"/> (mode 0600, through a new file renamed into place, so a reader never sees half of it).</summary>
    /// <exception cref="WeirException">It exists and <paramref name="replace"/> is false.</exception>
    public void Save(WeirProfile profile, bool replace)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var path = PathOf(profile.Name);
        if (!replace && File.Exists(path))
        {
            throw new WeirException($"The profile '{profile.Name}' exists already ({path}); add --force to replace it, or remove it first with 'weir profile rm {profile.Name}'.");
        }

        var document = new JsonObject { ["apiUrl"] = profile.ApiUrl.ToString() };
        if (profile.ApiKey is not null)
        {
            document["apiKey"] = profile.ApiKey;
        }

        WriteOwnerOnly(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Makes <paramref name="name"/> the profile commands use unless <c>WEIR_PROFILE</c> names another.</summary>
    /// <exception cref="WeirException">There is no such profile.</exception>
    public WeirProfile SetDefault(string name)
    {
        var profile = Get(name);
        WriteOwnerOnly(Path.Combine(Folder, DefaultFile), profile.Name + "\n");
        return profile;
    }

    /// <summary>Removes profile <paramref name="name"/>, and the default when it was that profile; true when it was.</summary>
    /// <exception cref="WeirException">There is no such profile.</exception>
    public bool Remove(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new WeirException($"There is no profile '{name}' in {Folder}; {Known()}");
        }

        File.Delete(path);
        if (DefaultName != name)
        {
            return false;
        }

        File.Delete(Path.Combine(Folder, DefaultFile));
        return true;
    }

    /// <summary>Null when <paramref name="name"/> may name a profile, else why not.</summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"it is {name.Length} characters long");
        }

        for (var i = 0; i < name.Length; i++)
        {
            var ch = name[i];
            var allowed = char.IsAsciiLetterOrDigit(ch) || (i > 0 && ch is '.' or '-' or '_');
            if (!allowed)
            {
                return char.IsControl(ch) || ch > '~'
                    ? string.Create(CultureInfo.InvariantCulture, $"the character U+{(int)ch:X4} at position {i + 1} is not allowed")
                    : string.Create(CultureInfo.InvariantCulture, $"'{ch}' at position {i + 1} is not allowed");
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="text"/> as a server URL: absolute, http or https, with no user name or password in it (a
    /// profile keeps its key apart, so that listings can show every URL).
    /// </summary>
    /// <exception cref="WeirException"><paramref name="text"/> is not such a URL; <paramref name="what"/> starts the message.</exception>
    public static Uri ParseUrl(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new WeirException($"{what} is not an http:// or https:// URL; give the server's address, such as https://weir.example.com or http://127.0.0.1:4200.");
        }

        return url.UserInfo.Length > 0
            ? throw new WeirException($"{what} holds a user name or password; give the address alone (the profile keeps the API key apart, from standard input or a masked prompt).")
            : url;
    }

    /// <summary><paramref name="name"/>, when it may name a profile.</summary>
    /// <exception cref="WeirException">It may not; the message states the rule.</exception>
    public static string CheckName(string name) =>
        NameProblem(name) is { } problem
            ? throw new WeirException($"'{(name.Length > 60 ? name[..60] + "…" : name)}' cannot name a profile: {problem}; {NameRule}.")
            : name;

    private string Known()
    {
        var names = Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "*.json").Select(p => Path.GetFileNameWithoutExtension(p)).Where(n => NameProblem(n) is null).Order(StringComparer.Ordinal).ToList()
            : [];
        return names.Count == 0 ? "there are no profiles yet." : $"the profiles are: {string.Join(", ", names)}.";
    }

    private void WriteOwnerOnly(string path, string text)
    {
        WeirHome.Create(Folder);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
