using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Cli.Deploy;
using Weir.Cli.Output;
using Weir.Client;
using Weir.Compiler;
using Weir.Storage.Project;
using Weir.Storage.Steps;
using Weir.Worker;

namespace Weir.Cli.Commands;

/// <summary><c>weir deploy [NAME...] [--all]</c>: creates or updates deployments from <c>weir.yaml</c>.</summary>
internal static class DeployCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("names") { Description = "Deployments of weir.yaml to deploy (all of them with --all).", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Deploy every deployment in weir.yaml." };
        var file = new Option<string>("--file", "-f") { Description = "The project file.", DefaultValueFactory = _ => "weir.yaml" };
        var command = new Command("deploy", "Create or update deployments from weir.yaml: run build and push steps, record the flow's structure, store the pull steps.") { names, all, file };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliError($"There is no {path} here ({Path.GetFullPath(path)}); run 'weir init' to write one, or pass --file.");
            }

            var project = WeirProjectReader.ReadFile(path);
            var chosen = Choose(project, parse.GetValue(names) ?? [], parse.GetValue(all), path);
            var home = FlowCompilerOptions.DefaultWeirHome();
            using var client = ServerApi.Client();
            var planner = new DeploymentPlanner(StepRegistry.CreateDefault(), new FlowCompiler(new FlowCompilerOptions { WeirHome = home }),
                new HttpWorkerServer(client, home), Environment.GetEnvironmentVariable, line => Terminal.Error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]"));
            foreach (var spec in await planner.PlanAsync(project, chosen, cancellationToken).ConfigureAwait(false))
            {
                var result = await client.DeployAsync(Request(spec), cancellationToken).ConfigureAwait(false);
                var d = result.Deployment;
                var what = result.Created ? "created" : result.VersionChanged ? "updated (pull steps, entrypoint or structure changed)" : "updated (code location and structure unchanged)";
                Terminal.Out.MarkupLine($"Deployment [bold]{Markup.Escape(d.FullName)}[/] {what}: version {d.Version}, work pool '{Markup.Escape(d.WorkPool)}'.");
                Terminal.Out.MarkupLine($"  Run it with: weir deployment run {Markup.Escape(d.FullName)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static List<DeploymentDefinition> Choose(WeirProject project, string[] names, bool all, string path)
    {
        if (project.Deployments.Count == 0)
        {
            throw new CliError($"{path} has no deployments; add one under 'deployments:' (name and entrypoint).");
        }

        if (all)
        {
            return [.. project.Deployments];
        }

        if (names.Length == 0)
        {
            return project.Deployments.Count == 1
                ? [project.Deployments[0]]
                : throw new CliError($"{path} has {project.Deployments.Count} deployments ({string.Join(", ", project.Deployments.Select(d => d.Name))}); name the ones to deploy, or pass --all.");
        }

        return [.. names.Select(n => project.Deployments.FirstOrDefault(d => d.Name == n)
            ?? throw new CliError($"{path} has no deployment named '{n}'; its deployments: {string.Join(", ", project.Deployments.Select(d => d.Name))}."))];
    }

    internal static DeploymentRequest Request(DeploymentSpec spec) => new()
    {
        FlowName = spec.FlowName,
        Name = spec.Name,
        Entrypoint = spec.Entrypoint,
        PullSteps = spec.PullSteps,
        Structure = (JsonObject)JsonNode.Parse(spec.Structure.ToJson())!,
        Parameters = spec.Parameters,
        WorkPool = spec.WorkPool,
        JobVariables = spec.JobVariables,
        Schedules = [.. spec.Schedules.Select(s => new ScheduleDto(s.Cron, s.IntervalSeconds, s.Timezone, s.Active))],
        Tags = spec.Tags,
        Description = spec.Description,
        Retries = spec.Retries,
        RetryDelaySeconds = spec.RetryDelaySeconds,
        VersionKey = spec.VersionKey,
        BuildId = spec.BuildId,
    };
}
