using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Worker.Launchers;

/// <summary>
/// What a deployment's job variables say about its container: <c>image</c> (required unless the
/// worker has a default), <c>image_pull_policy</c> (<c>IfNotPresent</c>, <c>Always</c>, <c>Never</c>;
/// by default <c>Always</c> for a <c>latest</c> or missing tag and <c>IfNotPresent</c> otherwise, as in
/// Kubernetes), <c>env</c> (a mapping), <c>network_mode</c> (default <c>host</c>, so the flow reaches a
/// server on 127.0.0.1), <c>command</c> (default <c>weir flow-run execute RUN_ID</c>), and <c>compile_cache</c>
/// (default true: a docker volume per image repository keeps compiled flows between runs).
/// </summary>
internal sealed record ContainerJobVariables(
    string Deployment, string Image, ImagePullPolicy PullPolicy, IReadOnlyDictionary<string, string> Environment, string NetworkMode, IReadOnlyList<string>? Command, bool CompileCache = true)
{
    private static readonly string[] s_known = ["image", "image_pull_policy", "env", "network_mode", "command", "compile_cache"];

    public static ContainerJobVariables Read(JsonObject? variables, string deployment, string? defaultImage)
    {
        variables ??= [];
        var where = $"the job variables of deployment '{deployment}'";
        var unknown = variables.Select(v => v.Key).Where(k => !s_known.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new RunPreparationException($"{Capital(where)} have {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which a container pool does not know; it takes: {string.Join(", ", s_known)}.");
        }

        var image = Text(variables, "image", where) ?? defaultImage
            ?? throw new RunPreparationException(
                $"Deployment '{deployment}' names no image for the container pool: set work_pool.job_variables.image in weir.yaml "
                + "(for example '{{ build_image.image }}' after a build_docker_image step with id build_image) and deploy again, or start the worker with --image.");
        var policyText = Text(variables, "image_pull_policy", where);
        ImagePullPolicy policy;
        if (policyText is null)
        {
            policy = HasMovingTag(image) ? ImagePullPolicy.Always : ImagePullPolicy.IfNotPresent;
        }
        else if (!Enum.TryParse(policyText, ignoreCase: true, out policy) || !Enum.IsDefined(policy))
        {
            throw new RunPreparationException($"{Capital(where)}: image_pull_policy is '{policyText}'; use IfNotPresent, Always or Never.");
        }

        var environment = ReadEnvironment(variables, deployment);

        IReadOnlyList<string>? command = variables["command"] switch
        {
            null => null,
            JsonArray items => [.. items.Select(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : i?.ToJsonString() ?? string.Empty)],
            JsonValue v when v.GetValueKind() == JsonValueKind.String => Storage.Steps.CommandLineSplitter.Split(v.GetValue<string>()),
            _ => throw new RunPreparationException($"{Capital(where)}: command must be a list of words or one line."),
        };

        var compileCache = variables["compile_cache"] switch
        {
            null => true,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
            _ => throw new RunPreparationException($"{Capital(where)}: compile_cache must be true or false."),
        };
        return new ContainerJobVariables(deployment, image, policy, environment, Text(variables, "network_mode", where) ?? "host", command, compileCache);
    }

    /// <summary>
    /// The deployment's <c>env</c> job variable, the variables it adds to its runs' environment (a container's, or a flow
    /// process's and its shell steps' in the process pool); empty without one.
    /// </summary>
    public static Dictionary<string, string> ReadEnvironment(JsonObject? variables, string deployment)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (variables?["env"] is { } env)
        {
            if (env is not JsonObject map)
            {
                throw new RunPreparationException($"The job variables of deployment '{deployment}': env must be a mapping of names to values.");
            }

            foreach (var (key, value) in map)
            {
                environment[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? string.Empty;
            }
        }

        return environment;
    }

    /// <summary>A tag that moves (<c>latest</c> or none) is pulled before every run, as Kubernetes does; a digest never moves.</summary>
    private static bool HasMovingTag(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var lastPart = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastPart.LastIndexOf(':');
        return colon < 0 || lastPart[(colon + 1)..] == "latest";
    }

    private static string? Text(JsonObject variables, string name, string where) => variables[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : null,
        _ => throw new RunPreparationException($"{Capital(where)}: {name} must be text."),
    };

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
