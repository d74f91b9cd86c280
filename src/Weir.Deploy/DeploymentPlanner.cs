using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Compiler;
using Weir.Storage.Config;
using Weir.Storage.Project;
using Weir.Storage.Steps;
using Weir.Storage.Templating;

namespace Weir.Deploy;

/// <summary>
/// Turns <c>weir.yaml</c> deployments into <see cref="DeploymentRequest"/>s (what the server is sent): runs build and push steps
/// once, resolves push outputs and environment variables into the pull steps (block and variable
/// references stay references, so no secret is stored), compiles each entrypoint to record its
/// structure, and checks default parameters against the flow's parameters.
/// </summary>
internal sealed class DeploymentPlanner(StepRegistry steps, FlowCompiler compiler, IReferenceResolver? references, Func<string, string?> environment, Action<string>? output)
{
    /// <summary>True for <c>--dry-run</c>: build and push steps say what they would do and change nothing. <value>Defaults to false.</value></summary>
    public bool DryRun { get; init; }

    /// <summary>Checks that the blocks and variables the deployments refer to exist, before any step runs. <value>Defaults to none.</value></summary>
    public ReferenceCheck? References { get; init; }

    public async Task<IReadOnlyList<DeploymentRequest>> PlanAsync(WeirProject project, IReadOnlyList<DeploymentDefinition> deployments, CancellationToken cancellationToken)
    {
        var projectDir = Path.GetDirectoryName(Path.GetFullPath(project.Path))!;
        var specs = new List<DeploymentRequest>();
        if (References is not null)
        {
            await References.VerifyAsync(project, deployments, cancellationToken).ConfigureAwait(false);
        }

        var stepsUsed = deployments.SelectMany(d => (d.Build ?? project.Build).Concat(d.Push ?? project.Push).Concat(d.Pull ?? project.Pull)).Distinct();
        foreach (var note in CredentialNotes.For(stepsUsed))
        {
            output?.Invoke(note);
        }

        foreach (var deployment in deployments)
        {
            // Push outputs and environment variables are resolved now; blocks only for steps that run now.
            var scope = new TemplateScope { Environment = environment, References = references };
            var context = new StepContext(projectDir, Path.Combine(compiler.Options.WeirHome, "cache")) { Output = output, Redactor = scope.Redactor, DryRun = DryRun };
            var runner = new StepRunner(steps);
            await runner.RunAsync(deployment.Build ?? project.Build, context, scope, cancellationToken).ConfigureAwait(false);
            await runner.RunAsync(deployment.Push ?? project.Push, context, scope, cancellationToken).ConfigureAwait(false);

            var pullScope = new TemplateScope { Environment = environment, References = null };
            foreach (var (id, outputs) in scope.StepOutputs)
            {
                pullScope.StepOutputs[id] = outputs;
            }

            var pull = deployment.Pull ?? project.Pull;
            foreach (var step in pull.Where(s => s.Id is not null))
            {
                pullScope.DeferredStepIds.Add(step.Id!);
            }

            if (pull.Count == 0)
            {
                pull = DefaultPull(projectDir);
            }

            var resolvedPull = new List<StepDefinition>();
            foreach (var step in pull)
            {
                // An unknown step name fails the deploy (naming it and where it stands), not every run on a worker later.
                _ = steps.Get(step);

                // Each pull step may refer to earlier pull steps; they stay deferred until the worker runs them.
                var arguments = (ConfigMap)await TemplateResolver.ResolveAsync(step.Arguments, pullScope, step.Describe(), cancellationToken).ConfigureAwait(false);
                resolvedPull.Add(step with { Arguments = arguments });
            }

            specs.Add(await SpecAsync(deployment, projectDir, resolvedPull, scope, cancellationToken).ConfigureAwait(false));
        }

        return specs;
    }

    private async Task<DeploymentRequest> SpecAsync(DeploymentDefinition deployment, string projectDir, List<StepDefinition> pull, TemplateScope scope, CancellationToken cancellationToken)
    {
        var entrypoint = Entrypoint.Parse(deployment.Entrypoint);
        var source = Path.Combine(projectDir, entrypoint.Path);
        if (Path.IsPathRooted(entrypoint.Path) || !Path.GetFullPath(source).StartsWith(Path.TrimEndingDirectorySeparator(projectDir) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            // Workers resolve the entrypoint inside the code the pull steps fetched; a path out of it would run whatever lies there.
            throw new ConfigException(deployment.Location, $"the entrypoint '{entrypoint.Path}' of deployment '{deployment.Name}' is outside the project folder {projectDir}; give a path inside it, such as flows/my_flow.cs:FLOW.");
        }

        if (!File.Exists(source))
        {
            throw new ConfigException(deployment.Location, $"the entrypoint file '{entrypoint.Path}' of deployment '{deployment.Name}' does not exist (looked at {source}).");
        }

        var build = await compiler.CompileAsync(source, cancellationToken).ConfigureAwait(false);
        var structure = build.Flows.FirstOrDefault(f => f.Name == entrypoint.FlowName)
            ?? throw new ConfigException(deployment.Location, $"{entrypoint.Path} has no flow named '{entrypoint.FlowName}' (flows in it: {(build.Flows.Count == 0 ? "none" : string.Join(", ", build.Flows.Select(f => f.Name)))}).");

        var parameters = new JsonObject();
        if (deployment.Parameters is { } given)
        {
            var resolved = (ConfigMap)await TemplateResolver.ResolveAsync(given, new TemplateScope { Environment = scope.Environment }, $"the parameters of deployment '{deployment.Name}'", cancellationToken).ConfigureAwait(false);
            foreach (var (name, value) in resolved.Entries)
            {
                if (structure.Parameters.All(p => p.Name != name))
                {
                    throw new ConfigException(resolved.LocationOfKey(name),
                        $"deployment '{deployment.Name}' sets the parameter '{name}', but flow '{structure.Name}' has no such parameter (its parameters: {(structure.Parameters.Count == 0 ? "none" : string.Join(", ", structure.Parameters.Select(p => p.Name)))}).");
                }

                parameters[name] = ConfigJson.ToJson(value);
            }
        }

        JsonObject? jobVariables = null;
        if (deployment.JobVariables is { } variables)
        {
            var resolved = await TemplateResolver.ResolveAsync(variables, scope, $"the job variables of deployment '{deployment.Name}'", cancellationToken).ConfigureAwait(false);
            jobVariables = ConfigJson.ToJson(resolved) as JsonObject;
        }

        return new DeploymentRequest
        {
            Name = deployment.Name,
            FlowName = structure.Name,
            Entrypoint = deployment.Entrypoint,
            PullSteps = StepDefinition.ToJson(pull),
            Structure = structure,
            Parameters = parameters,
            WorkPool = deployment.WorkPool,
            JobVariables = jobVariables,
            Schedules = [.. deployment.Schedules.Select(s => new ScheduleDto(s.Cron, s.IntervalSeconds, s.Timezone, s.Active))],
            Tags = deployment.Tags,
            Blocks = deployment.Blocks,
            Description = deployment.Description,
            Retries = deployment.Retries,
            RetryDelaySeconds = deployment.RetryDelaySeconds,
        };
    }

    /// <summary>With no pull steps, workers run the code from this folder (local storage).</summary>
    private static List<StepDefinition> DefaultPull(string projectDir) =>
    [
        new StepDefinition("set_working_directory", null,
            new ConfigMap([new("directory", new ConfigScalar(projectDir, new SourceLocation("weir deploy")))], new SourceLocation("weir deploy")),
            new SourceLocation("weir deploy (default: the project folder)"), "pull", 0),
    ];
}
