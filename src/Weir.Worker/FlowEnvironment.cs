using System.Collections;

namespace Weir.Worker;

/// <summary>
/// The environment a worker gives what runs a flow's code (flow processes, shell steps, containers): never its own
/// environment, which holds its key, but an allow-list of it, plus what the run needs (<c>WEIR_API_URL</c>, <c>WEIR_HOME</c>,
/// the run's token where it travels by environment, the variables <see cref="OrphanHeartbeat"/> reads) and the deployment's
/// <c>env</c> job variable. <see cref="Withheld"/> never passes, whatever the allow-list says.
/// </summary>
public static class FlowEnvironment
{
    /// <summary>The worker's variables that pass by name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["PATH", "HOME", "LANG", "TZ", "TMPDIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"];

    /// <summary>The worker's variables that pass by the start of their name.</summary>
    public static IReadOnlyList<string> Prefixes { get; } = ["LC_", "DOTNET_", "NUGET_", "SSL_CERT_"];

    /// <summary>
    /// What a container gets of the worker's environment: only what means the same inside it (language, time zone,
    /// proxies). Paths (PATH, HOME, TMPDIR, the .NET and certificate folders) are the image's.
    /// </summary>
    public static IReadOnlyList<string> ContainerNames { get; } = ["LANG", "TZ", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"];

    /// <summary>The worker's credentials and the server's secrets: never given to a flow, a container or a shell step.</summary>
    public static IReadOnlyList<string> Withheld { get; } = ["WEIR_API_KEY", "WEIR_WORKER_API_KEYS", "WEIR_SECRET_KEY", "WEIR_DATABASE_URL", "WEIR_RUN_TOKEN"];

    /// <summary>True when the worker's variable <paramref name="name"/> passes to flow processes and shell steps.</summary>
    public static bool IsAllowed(string name) =>
        !Withheld.Contains(name, StringComparer.Ordinal) && (Names.Contains(name, StringComparer.Ordinal) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)));

    /// <summary>
    /// The allowed part of this process's environment (<paramref name="container"/>: of <see cref="ContainerNames"/> and
    /// <c>LC_*</c> only), then <paramref name="extra"/> on top (the run's variables and the deployment's <c>env</c>).
    /// </summary>
    public static Dictionary<string, string> Build(IEnumerable<KeyValuePair<string, string>>? extra = null, bool container = false)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value
                && (container ? !Withheld.Contains(name, StringComparer.Ordinal) && (ContainerNames.Contains(name, StringComparer.Ordinal) || name.StartsWith("LC_", StringComparison.Ordinal)) : IsAllowed(name)))
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>
    /// Removes <see cref="Withheld"/> from this process's own environment once the worker has read what it needs: an
    /// in-process pool's flows run in the worker's process and would otherwise find its key there. (The process's initial
    /// environment, /proc/self/environ, keeps them: the in-process pool is no isolation boundary.)
    /// </summary>
    public static void WithholdFromThisProcess()
    {
        foreach (var name in Withheld)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
