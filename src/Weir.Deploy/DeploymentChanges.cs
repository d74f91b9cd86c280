using System.Text.Json.Nodes;
using Weir.Client;

namespace Weir.Deploy;

/// <summary>
/// Says what a deploy changed, from the deployment as the server had it and what was sent: the line
/// <c>weir deploy</c> and <c>weir register</c> print, such as
/// <c>updated (the image changed: reg/flows:v1 → reg/flows:v2): version 2</c>.
/// </summary>
internal static class DeploymentChanges
{
    /// <summary>The changes, for people; empty when nothing changed.</summary>
    public static IReadOnlyList<string> Between(DeploymentDto before, DeploymentRequest after)
    {
        var changes = new List<string>();
        var imageBefore = Text(before.JobVariables?["image"]);
        var imageAfter = Text(after.JobVariables?["image"]);
        if (before.Entrypoint != after.Entrypoint)
        {
            changes.Add($"the entrypoint changed: {before.Entrypoint} → {after.Entrypoint}");
        }

        if (!JsonNode.DeepEquals(before.PullSteps, after.PullSteps))
        {
            changes.Add("the pull steps (where workers get the code) changed");
        }

        if (before.Structure != after.Structure)
        {
            changes.Add("the flow's structure (parameters or tasks) changed");
        }

        if (imageBefore != imageAfter)
        {
            changes.Add($"the image changed: {imageBefore ?? "none"} → {imageAfter ?? "none"}");
        }

        if (before.BuildId != after.BuildId)
        {
            changes.Add("the stored build changed");
        }

        if (!JsonNode.DeepEquals(Without(before.JobVariables, "image"), Without(after.JobVariables, "image")))
        {
            changes.Add("the job variables changed");
        }

        if (before.WorkPool != after.WorkPool)
        {
            changes.Add($"the work pool changed: '{before.WorkPool}' → '{after.WorkPool}'");
        }

        if (!JsonNode.DeepEquals(before.Parameters, after.Parameters))
        {
            changes.Add("the default parameters changed");
        }

        // What a weir.yaml schedule says; the server may fill in more (an interval's anchor).
        static (string?, double?, string, bool) Said(ScheduleDto s) => (s.Cron, s.IntervalSeconds, s.Timezone, s.Active);
        if (!before.Schedules.Select(Said).SequenceEqual(after.Schedules.Select(Said)))
        {
            changes.Add("the schedules changed");
        }

        if (!before.Tags.SequenceEqual(after.Tags) || before.Description != after.Description
            || before.Retries != after.Retries || before.RetryDelaySeconds != after.RetryDelaySeconds)
        {
            changes.Add("tags, description or retries changed");
        }

        return changes;
    }

    /// <summary>The line after the deployment's name: <c>created: version 1</c>, or <c>updated (…)</c> naming what changed.</summary>
    public static string Describe(DeploymentDto? before, DeploymentRequest after, DeploymentResult result)
    {
        if (result.Created || before is null)
        {
            return $"created: version {result.Deployment.Version}";
        }

        var changes = Between(before, after);
        var version = result.VersionChanged ? $"version {before.Version} → {result.Deployment.Version}" : $"version {result.Deployment.Version}";
        return changes.Count == 0
            ? $"updated (nothing changed): {version}"
            : $"updated ({string.Join("; ", changes)}): {version}";
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();

    private static JsonObject? Without(JsonObject? variables, string key)
    {
        if (variables is null)
        {
            return null;
        }

        var copy = (JsonObject)variables.DeepClone();
        copy.Remove(key);
        return copy.Count == 0 ? null : copy;
    }
}
