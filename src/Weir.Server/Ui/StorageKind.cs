using System.Text.Json.Nodes;

namespace Weir.Server.Ui;

/// <summary>Where a deployment's code comes from, in a word, as its pull steps (or its image) say.</summary>
public static class StorageKind
{
    /// <summary>The kind (<c>git</c>, <c>S3</c>, <c>local folder</c>…) and what it points at (repository, bucket, folder, image), for a tooltip.</summary>
    public static (string Kind, string? Where) Of(DeploymentDto deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var (kind, where) = FromSteps(deployment);
        if (deployment.JobVariables?["image"] is JsonValue image && image.TryGetValue<string>(out var name) && kind == "local folder")
        {
            (kind, where) = ("container image", name);
        }

        return deployment.BuildId is null ? (kind, where) : (kind + ", stored build", where);
    }

    private static (string Kind, string? Where) FromSteps(DeploymentDto deployment)
    {
        var steps = deployment.PullSteps.OfType<JsonObject>().SelectMany(s => s).Select(s => (Name: s.Key[(s.Key.LastIndexOf('.') + 1)..], Args: s.Value as JsonObject)).ToList();
        foreach (var (step, kind, field) in s_kinds)
        {
            if (steps.FirstOrDefault(s => s.Name == step) is { Name: not null } found)
            {
                return (kind, Text(found.Args?[field]));
            }
        }

        if (steps.Any(s => s.Name == "run_shell_script"))
        {
            return ("shell script", null);
        }

        return ("local folder", steps.Where(s => s.Name == "set_working_directory").Select(s => Text(s.Args?["directory"])).LastOrDefault());
    }

    private static readonly (string Step, string Kind, string Field)[] s_kinds =
    [
        ("git_clone", "git", "repository"),
        ("pull_from_s3", "S3", "bucket"),
        ("pull_from_azure_blob_storage", "Azure Blob Storage", "container"),
        ("pull_from_gcs", "GCS", "bucket"),
    ];

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
}
