using Weir.Client;
using Weir.Storage.Project;

namespace Weir.Deploy;

/// <summary>What <c>weir deploy</c> decides about a project's deployments before planning them: which ones, whether the project needs a git pull step, and which would fail every run for want of an image.</summary>
internal static class ProjectDeployments
{
    /// <summary>The deployments to deploy: those named, all of them, or the only one.</summary>
    public static IReadOnlyList<DeploymentDefinition> Choose(WeirProject project, IReadOnlyList<string> names, bool all, string path)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (project.Deployments.Count == 0)
        {
            throw new DeployException($"{path} has no deployments; add one under 'deployments:' (name and entrypoint).");
        }

        if (all)
        {
            return [.. project.Deployments];
        }

        if (names.Count == 0)
        {
            return project.Deployments.Count == 1
                ? [project.Deployments[0]]
                : throw new DeployException($"{path} has {project.Deployments.Count} deployments ({string.Join(", ", project.Deployments.Select(d => d.Name))}); name the ones to deploy, or pass --all.");
        }

        return [.. names.Select(n => project.Deployments.FirstOrDefault(d => d.Name == n)
            ?? throw new DeployException($"{path} has no deployment named '{n}'; its deployments: {string.Join(", ", project.Deployments.Select(d => d.Name))}."))];
    }

    /// <summary>The project text with a <c>git_clone</c> pull step (and a <c>set_working_directory</c> into <paramref name="prefix"/>, the project's folder in the repository).</summary>
    public static string WithGitPull(string text, string url, string? branch, string? tokenReference, string prefix)
    {
        var block = WeirYamlEditor.RenderGitClonePull(url, branch, tokenReference);
        if (prefix.Length > 0)
        {
            block += $"- set_working_directory:\n    directory: {WeirYamlEditor.Quote(prefix)}\n";
        }

        return WeirYamlEditor.SetSection(text, "pull", block);
    }

    /// <summary>
    /// A warning for each deployment that goes to a container pool and names no image: its runs would all fail.
    /// <paramref name="poolTypeOf"/> answers a pool's type (null when the server does not know the pool).
    /// </summary>
    public static async Task<IReadOnlyList<string>> MissingImagesAsync(WeirProject project, IReadOnlyList<DeploymentDefinition> deployments, string path,
        Func<string, CancellationToken, Task<string?>> poolTypeOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(poolTypeOf);
        var warnings = new List<string>();
        foreach (var deployment in deployments.Where(d => d.JobVariables?["image"] is null))
        {
            if (await poolTypeOf(deployment.WorkPool, cancellationToken).ConfigureAwait(false) != WorkPoolTypes.Container)
            {
                continue;
            }

            var build = (deployment.Build ?? project.Build).FirstOrDefault(s => s.ShortName == "build_docker_image");
            warnings.Add($"Warning: deployment '{deployment.Name}' ({deployment.Location}) goes to the container pool '{deployment.WorkPool}' but names no image, so its runs will fail; "
                + (build?.Id is { } id
                    ? $"add job_variables: {{ image: '{{{{ {id}.image }}}}' }} to its work_pool in {path} to run the image {build.Title} builds."
                    : $"add job_variables: {{ image: NAME:TAG }} to its work_pool in {path}."));
        }

        return warnings;
    }
}
