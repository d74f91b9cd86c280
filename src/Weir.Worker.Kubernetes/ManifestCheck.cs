using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// Checks a manifest (JSON) against the KubernetesClient model type it is to become (<see cref="V1Job"/>, <see cref="V1Secret"/>)
/// before anything is sent: every field must be one the model (generated from the Kubernetes OpenAPI schema) has, with a value
/// of its type (text, whole number, true/false, list, mapping; quantities as text or numbers, int-or-string fields as either);
/// the fields the OpenAPI schema lists as required must be there (<see cref="s_required"/>); and <c>apiVersion</c>/<c>kind</c>
/// must be the model's. Without it a misspelt field (<c>nodeSelecter</c>) would vanish when the JSON is read into the model
/// and the Job would run without it. What it cannot see: values only the API server knows to refuse (a name that is no DNS
/// label, a quantity such as <c>1Gx</c>, a namespace that does not exist): those come back as the API server's 422, which the
/// launcher turns into a sentence naming the field.
/// </summary>
internal static class ManifestCheck
{
    /// <summary>
    /// The <c>required</c> lists of the Kubernetes OpenAPI definitions (io.k8s.api.*) a Job or Secret of the job template can hold:
    /// the models have no required markers of their own (every property is nullable), so they are written out here.
    /// </summary>
    private static readonly Dictionary<Type, string[]> s_required = new()
    {
        [typeof(V1JobSpec)] = ["template"],
        [typeof(V1PodSpec)] = ["containers"],
        [typeof(V1Container)] = ["name"],
        [typeof(V1EnvVar)] = ["name"],
        [typeof(V1SecretKeySelector)] = ["key"],
        [typeof(V1ConfigMapKeySelector)] = ["key"],
        [typeof(V1ObjectFieldSelector)] = ["fieldPath"],
        [typeof(V1ResourceFieldSelector)] = ["resource"],
        [typeof(V1OwnerReference)] = ["apiVersion", "kind", "name", "uid"],
        [typeof(V1Volume)] = ["name"],
        [typeof(V1VolumeMount)] = ["mountPath", "name"],
        [typeof(V1ContainerPort)] = ["containerPort"],
        [typeof(V1KeyToPath)] = ["key", "path"],
        [typeof(V1HostPathVolumeSource)] = ["path"],
        [typeof(V1PersistentVolumeClaimVolumeSource)] = ["claimName"],
        [typeof(V1NodeSelector)] = ["nodeSelectorTerms"],
        [typeof(V1NodeSelectorRequirement)] = ["key", "operator"],
        [typeof(V1LabelSelectorRequirement)] = ["key", "operator"],
        [typeof(V1PodAffinityTerm)] = ["topologyKey"],
        [typeof(V1WeightedPodAffinityTerm)] = ["podAffinityTerm", "weight"],
        [typeof(V1PreferredSchedulingTerm)] = ["preference", "weight"],
        [typeof(V1TopologySpreadConstraint)] = ["maxSkew", "topologyKey", "whenUnsatisfiable"],
        [typeof(V1Sysctl)] = ["name", "value"],
        [typeof(V1HostAlias)] = ["ip"],
        [typeof(V1HTTPGetAction)] = ["port"],
        [typeof(V1TCPSocketAction)] = ["port"],
        [typeof(V1SeccompProfile)] = ["type"],
        [typeof(V1PodFailurePolicy)] = ["rules"],
        [typeof(V1PodFailurePolicyRule)] = ["action"],
        [typeof(V1PodFailurePolicyOnExitCodesRequirement)] = ["operator", "values"],
        [typeof(V1PodReadinessGate)] = ["conditionType"],
        [typeof(V1PodSchedulingGate)] = ["name"],
        [typeof(V1PodOS)] = ["name"],
    };

    /// <summary>Throws a <see cref="KubernetesPoolException"/> listing what is wrong with <paramref name="manifest"/>, which <paramref name="what"/> names.</summary>
    public static void Check<TModel>(JsonNode manifest, string what)
    {
        var problems = Problems(manifest, typeof(TModel));
        if (problems.Count > 0)
        {
            throw new KubernetesPoolException($"{what} is not a valid {Entity(typeof(TModel))}: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $"; and {problems.Count - 5} more" : string.Empty)}.");
        }
    }

    /// <summary>What is wrong with <paramref name="manifest"/> as a <paramref name="model"/>, as phrases naming the field; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(JsonNode manifest, Type model)
    {
        var problems = new List<string>();
        if (model.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity && manifest is JsonObject root)
        {
            var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : entity.Group + "/" + entity.ApiVersion;
            Expect(root, "apiVersion", apiVersion, problems);
            Expect(root, "kind", entity.Kind, problems);
        }

        Walk(manifest, model, string.Empty, problems);
        return problems;
    }

    private static string Entity(Type model) => model.GetCustomAttribute<KubernetesEntityAttribute>() is { } e ? $"{(string.IsNullOrEmpty(e.Group) ? e.ApiVersion : e.Group + "/" + e.ApiVersion)} {e.Kind}" : model.Name;

    private static void Expect(JsonObject root, string field, string expected, List<string> problems)
    {
        var actual = root[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        if (actual != expected)
        {
            problems.Add(actual is null ? $"{field} is missing (it must be '{expected}')" : $"{field} is '{actual}', not '{expected}'");
        }
    }

    private static void Walk(JsonNode? node, Type type, string path, List<string> problems)
    {
        var where = path.Length == 0 ? "the manifest" : path;
        if (node is null)
        {
            return; // an explicit null is what leaving the field out means to the API server
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(DateTime) || type == typeof(byte[]))
        {
            if (!IsKind(node, JsonValueKind.String))
            {
                problems.Add($"{where} must be text, not {Describe(node)}");
            }
            else if (type == typeof(byte[]) && !IsBase64(node.GetValue<string>()))
            {
                problems.Add($"{where} must be base64 text");
            }

            return;
        }

        if (type == typeof(bool))
        {
            if (!IsKind(node, JsonValueKind.True) && !IsKind(node, JsonValueKind.False))
            {
                problems.Add($"{where} must be true or false, not {Describe(node)}");
            }

            return;
        }

        if (type == typeof(int) || type == typeof(long))
        {
            if (!IsKind(node, JsonValueKind.Number) || !double.IsInteger(JsonNumbers.ToDouble(node))
                || (type == typeof(int) && (JsonNumbers.ToDouble(node) > int.MaxValue || JsonNumbers.ToDouble(node) < int.MinValue)))
            {
                problems.Add($"{where} must be a whole number, not {Describe(node)}");
            }

            return;
        }

        if (type == typeof(double) || type == typeof(float))
        {
            if (!IsKind(node, JsonValueKind.Number))
            {
                problems.Add($"{where} must be a number, not {Describe(node)}");
            }

            return;
        }

        if (type == typeof(ResourceQuantity) || type == typeof(IntOrString))
        {
            if (!IsKind(node, JsonValueKind.String) && !IsKind(node, JsonValueKind.Number))
            {
                problems.Add($"{where} must be {(type == typeof(IntOrString) ? "a whole number or text" : "a quantity (text such as 512Mi or 250m, or a number)")}, not {Describe(node)}");
            }

            return;
        }

        if (type == typeof(object) || type == typeof(JsonElement))
        {
            return;
        }

        if (Dictionary(type) is { } valueType)
        {
            if (node is not JsonObject map)
            {
                problems.Add($"{where} must be a mapping, not {Describe(node)}");
                return;
            }

            foreach (var (key, value) in map)
            {
                Walk(value, valueType, $"{path}.{key}".TrimStart('.'), problems);
            }

            return;
        }

        if (List(type) is { } itemType)
        {
            if (node is not JsonArray list)
            {
                problems.Add($"{where} must be a list, not {Describe(node)}");
                return;
            }

            for (var i = 0; i < list.Count; i++)
            {
                Walk(list[i], itemType, $"{path}[{i}]", problems);
            }

            return;
        }

        if (node is not JsonObject fields)
        {
            problems.Add($"{where} must be a mapping ({type.Name}), not {Describe(node)}");
            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.Property, StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            var at = path.Length == 0 ? key : $"{path}.{key}";
            if (!properties.TryGetValue(key, out var property))
            {
                var close = properties.Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase) || Distance(k, key) <= 2);
                problems.Add($"{at} is no field of {type.Name}{(close is null ? string.Empty : $" (did you mean '{close}'?)")}");
                continue;
            }

            Walk(value, property.PropertyType, at, problems);
        }

        if (s_required.TryGetValue(type, out var required))
        {
            foreach (var name in required.Where(r => fields[r] is null))
            {
                problems.Add($"{(path.Length == 0 ? string.Empty : path + ".")}{name} is required");
            }
        }
    }

    private static Type? Dictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>) && type.GetGenericArguments()[0] == typeof(string) ? type.GetGenericArguments()[1] : null;

    private static Type? List(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>) ? type.GetGenericArguments()[0]
        : type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsArray ? type.GetElementType() : null;

    private static bool IsKind(JsonNode node, JsonValueKind kind) => node is JsonValue v && v.GetValueKind() == kind;

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static string Describe(JsonNode node) => node switch
    {
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the text '{Shorten(v.GetValue<string>())}'",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => "null",
        },
        _ => "null",
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..37] + "..." : text;

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return int.MaxValue;
        }

        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
