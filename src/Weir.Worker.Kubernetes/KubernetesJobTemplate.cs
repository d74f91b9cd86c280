using System.Text.Json.Nodes;
using Weir.Storage.Config;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// A kubernetes pool's job template: <c>job_manifest</c>, a batch/v1 Job with <c>{{ name }}</c> placeholders, and <c>variables</c>,
/// the JSON schema of the job variables deployments may set. A pool records its own (<c>weir work-pool create --base-job-template</c>);
/// without one the worker uses <see cref="Default"/> (the text of <see cref="DefaultYaml"/>, which <c>weir init --recipe kubernetes</c> writes).
/// </summary>
internal sealed class KubernetesJobTemplate
{
    /// <summary>The values the worker gives every template besides the job variables.</summary>
    public static readonly IReadOnlyList<string> BuiltIns = ["flow_run_id", "flow_name", "deployment", "attempt", "job_name", "pool", "worker"];

    private KubernetesJobTemplate(JsonObject manifest, JobVariableSchema variables, string where)
    {
        Manifest = manifest;
        Variables = variables;
        Where = where;
    }

    /// <summary>The Job with its placeholders.</summary>
    public JsonObject Manifest { get; }

    /// <summary>The schema of the job variables.</summary>
    public JobVariableSchema Variables { get; }

    /// <summary>What the template is, for messages: <c>the job template of pool 'k8s'</c>.</summary>
    public string Where { get; }

    /// <summary>The built-in template, as <c>weir init --recipe kubernetes</c> writes it (YAML with comments).</summary>
    public static string DefaultYaml { get; } = ReadResource();

    /// <summary>The built-in template.</summary>
    public static KubernetesJobTemplate Default { get; } = Parse(FromYaml(DefaultYaml, "the built-in kubernetes job template"), "the built-in kubernetes job template");

    /// <summary>A template file (YAML or JSON) as the JSON a pool records; errors name the file, line and column.</summary>
    public static JsonObject ReadFile(string path)
    {
        var template = ConfigJson.ToJson(YamlConfigReader.ReadFile(path)) as JsonObject
            ?? throw new KubernetesPoolException($"{path} is not a job template: it must be a mapping with job_manifest and variables.");
        _ = Parse(template, path);
        return template;
    }

    /// <summary>A template from YAML text.</summary>
    public static JsonObject FromYaml(string yaml, string sourceName) =>
        ConfigJson.ToJson(YamlConfigReader.Read(yaml, sourceName)) as JsonObject
            ?? throw new KubernetesPoolException($"{sourceName} is not a job template: it must be a mapping with job_manifest and variables.");

    /// <summary>
    /// Reads and checks a template: a <c>job_manifest</c> mapping, a schema Weir can check, and no placeholder that names neither a
    /// variable nor a built-in value. <paramref name="where"/> names it in errors.
    /// </summary>
    public static KubernetesJobTemplate Parse(JsonObject template, string where)
    {
        ArgumentNullException.ThrowIfNull(template);
        var unknown = template.Select(p => p.Key).Where(k => k is not ("job_manifest" or "variables")).ToList();
        if (unknown.Count > 0)
        {
            throw new KubernetesPoolException($"{Capital(where)} has {string.Join(", ", unknown.Select(u => $"'{u}'"))}; a job template has only job_manifest and variables.");
        }

        if (template["job_manifest"] is not JsonObject manifest)
        {
            throw new KubernetesPoolException($"{Capital(where)} has no job_manifest mapping (a batch/v1 Job with {{{{ }}}} placeholders).");
        }

        var variables = JobVariableSchema.Read(template["variables"], Capital(where));
        var names = new HashSet<string>(variables.Names.Concat(BuiltIns), StringComparer.Ordinal);
        foreach (var (name, path) in TemplateRenderer.Placeholders(manifest))
        {
            if (!names.Contains(name))
            {
                throw new KubernetesPoolException(
                    $"{Capital(where)} uses {{{{ {name} }}}} at {path}, which is neither one of its variables ({string.Join(", ", variables.Names)}) nor a value the worker sets ({string.Join(", ", BuiltIns)}). Add it to variables.properties, or fix the name.");
            }
        }

        return new KubernetesJobTemplate((JsonObject)manifest.DeepClone(), variables, where);
    }

    private static string ReadResource()
    {
        using var stream = typeof(KubernetesJobTemplate).Assembly.GetManifestResourceStream("Weir.Worker.Kubernetes.DefaultJobTemplate.yaml")
            ?? throw new InvalidOperationException("The built-in kubernetes job template is missing from Weir.Worker.Kubernetes; rebuild it.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
