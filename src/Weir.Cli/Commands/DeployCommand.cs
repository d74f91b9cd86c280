using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Cli.Deploy;
using Weir.Deploy;
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
        var entrypoint = new Option<string?>("--entrypoint") { Description = "Create a deployment of this flow (path/to/file.cs:flow-name) and write it to weir.yaml." };
        var name = new Option<string?>("--name", "-n") { Description = "The new deployment's name." };
        var pool = new Option<string?>("--pool", "-p") { Description = "The new deployment's work pool (created when missing: a container pool when weir.yaml builds an image, else a process pool)." };
        var image = new Option<string?>("--image") { Description = "The image a container pool runs. Defaults to the image weir.yaml's build_docker_image step builds ({{ build_image.image }})." };
        var git = new Option<bool?>("--git") { Description = "In a git repository: workers clone it (true, the default) or run the code from this folder (false)." };
        var repository = new Option<string?>("--repository") { Description = "The repository URL workers clone. Defaults to the origin remote." };
        var branch = new Option<string?>("--branch") { Description = "The branch workers check out. Defaults to the current branch." };
        var isPrivate = new Option<bool?>("--private") { Description = "The repository is private: its token is stored as the Secret block deployment-{deployment}-{flow}-repo-token." };
        var tokenStdin = new Option<bool>("--token-stdin") { Description = "Read the private repository's token from standard input (never give it on the command line)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what build and push steps would upload, keep and remove, and what would be deployed, changing nothing." };
        var command = new Command("deploy", "Create or update deployments from weir.yaml: run build and push steps, record the flow's structure, store the pull steps. In a terminal with nothing to deploy yet, asks what to deploy and writes it to weir.yaml.")
        {
            names, all, file, entrypoint, name, pool, image, git, repository, branch, isPrivate, tokenStdin, dryRun,
        };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
            var answers = new DeployAnswers
            {
                Entrypoint = parse.GetValue(entrypoint),
                Name = parse.GetValue(name),
                Pool = parse.GetValue(pool),
                Image = parse.GetValue(image),
                Git = parse.GetValue(git),
                Repository = parse.GetValue(repository),
                Branch = parse.GetValue(branch),
                Private = parse.GetValue(isPrivate),
                TokenFromStdin = parse.GetValue(tokenStdin),
            };
            var requested = parse.GetValue(names) ?? [];
            var existing = File.Exists(path) ? WeirProjectReader.ReadFile(path) : null;
            var create = answers.Entrypoint is not null || answers.Name is not null
                || (requested.Length == 0 && !parse.GetValue(all) && (existing is null || existing.Deployments.Count == 0) && (interactive || existing is null));
            var dry = parse.GetValue(dryRun);
            using var client = ServerApi.Client();
            if (create && dry)
            {
                throw new CliError($"--dry-run shows what deploying the deployments of {path} would do; there is none yet to show. Run without --dry-run to create one, or add it to {path}.");
            }

            // weir.yaml is written only once the deploy has worked: a failed build or push leaves it as it was.
            string? newText = null;
            string? written = null;
            if (create)
            {
                if (interactive)
                {
                    Terminal.Out.Profile.Capabilities.Interactive = true;
                }

                var dialogue = new DeployDialogue(Terminal.Out, interactive, client, ReadTokenAsync);
                var (deploymentName, text, wrote) = await dialogue.RunAsync(answers, path, cancellationToken).ConfigureAwait(false);
                requested = [deploymentName];
                newText = text;
                written = wrote;
            }
            else if (!File.Exists(path))
            {
                throw new CliError($"There is no {path} here ({Path.GetFullPath(path)}); run 'weir init' to write one, pass --file, or create a deployment with --entrypoint and --name.");
            }
            else if (existing is { Pull.Count: 0 } && answers.Git != false && GitRepository.Detect(Path.GetDirectoryName(Path.GetFullPath(path))!) is { } repo)
            {
                // Issue: a git repository whose weir.yaml has no pull steps deploys with a git_clone of its remote and branch.
                newText = ProjectDeployments.WithGitPull(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), answers.Repository ?? repo.Remote, answers.Branch ?? repo.Branch, null, repo.Prefix);
                written = $"{(dry ? "would write" : "wrote")} a git_clone pull step for {answers.Repository ?? repo.Remote} (branch {answers.Branch ?? repo.Branch ?? "default"}). Push your commits before running; pass --git false to deploy this folder instead.";
                written = $"{path} had no pull steps and this is a git repository: {written}";
            }

            var project = newText is not null ? WeirProjectReader.Read(newText, path) : WeirProjectReader.ReadFile(path);
            var chosen = ProjectDeployments.Choose(project, requested, parse.GetValue(all), path);
            foreach (var warning in await ProjectDeployments.MissingImagesAsync(project, chosen, path,
                async (pool, token) => (await client.GetPoolAsync(pool, token).ConfigureAwait(false))?.Type, cancellationToken).ConfigureAwait(false))
            {
                Terminal.Error.MarkupLine(Markup.Escape(warning));
            }

            var home = FlowCompilerOptions.DefaultWeirHome();
            var planner = new DeploymentPlanner(StepRegistry.CreateDefault(), new FlowCompiler(new FlowCompilerOptions { WeirHome = home }),
                new HttpWorkerServer(client, home), Environment.GetEnvironmentVariable, line => Terminal.Error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]"))
            {
                DryRun = dry,
                References = new ReferenceCheck(client, ServerApi.Url),
            };
            var specs = await planner.PlanAsync(project, chosen, cancellationToken).ConfigureAwait(false);
            if (dry)
            {
                if (written is not null)
                {
                    Terminal.Out.MarkupLine(Markup.Escape(written));
                }

                foreach (var spec in specs)
                {
                    PrintDryRun(spec);
                }

                return ExitCodes.Success;
            }

            var lines = new List<string>();
            foreach (var spec in specs)
            {
                var request = spec;
                var before = await client.GetDeploymentAsync(spec.FlowName, spec.Name, cancellationToken).ConfigureAwait(false);
                var result = await client.DeployAsync(request, cancellationToken).ConfigureAwait(false);
                var d = result.Deployment;
                lines.Add($"Deployment [bold]{Markup.Escape(d.FullName)}[/] {Markup.Escape(DeploymentChanges.Describe(before, request, result))}, work pool '{Markup.Escape(d.WorkPool)}'.");
                lines.Add($"  Run it with: weir deployment run {Markup.Escape(d.FullName)}");
            }

            if (newText is not null)
            {
                await File.WriteAllTextAsync(path, newText, cancellationToken).ConfigureAwait(false);
                Terminal.Out.MarkupLine(Markup.Escape(written!));
            }

            foreach (var line in lines)
            {
                Terminal.Out.MarkupLine(line);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What a dry run would have sent to the server for one deployment.</summary>
    internal static void PrintDryRun(DeploymentRequest spec)
    {
        Terminal.Out.MarkupLine($"Dry run: would deploy [bold]{Markup.Escape(spec.FlowName + "/" + spec.Name)}[/] (entrypoint {Markup.Escape(spec.Entrypoint)}, work pool '{Markup.Escape(spec.WorkPool)}', {spec.Structure.Tasks.Count} task(s)); the server was not changed.");
        foreach (var step in spec.PullSteps)
        {
            Terminal.Out.WriteLine("  pull: " + step?.ToJsonString());
        }
    }

    private static async Task<string> ReadTokenAsync(CancellationToken cancellationToken) =>
        (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
}
