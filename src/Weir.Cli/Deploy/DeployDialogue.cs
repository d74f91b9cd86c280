using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Client;
using Weir.Compiler;
using Weir.Deploy;
using Weir.Storage.Project;

namespace Weir.Cli.Deploy;

/// <summary>
/// The interactive <c>weir deploy</c> (the seeds' dialogue): pick a flow found in the folder, name the
/// deployment, and, in a git repository, confirm the remote URL and branch workers clone, say whether
/// it is private and store its token as the Secret block <c>deployment-{deployment}-{flow}-repo-token</c>;
/// then pick or create the work pool and write the deployment into <c>weir.yaml</c>, keeping the rest
/// of the file as it was. Every answer can be given as an option; without a terminal a missing answer
/// is an error naming its option.
/// </summary>
internal sealed class DeployDialogue(IAnsiConsole console, bool interactive, WeirClient client, Func<CancellationToken, Task<string>> readTokenFromStdin)
{
    private const string NewPool = "Create a new work pool";

    /// <summary>
    /// Asks what is missing and stores the token when there is one; returns the deployment's name, the new text of
    /// <paramref name="yamlPath"/> and the line that says what it holds. The caller writes the text once the
    /// deploy worked, so a failed build leaves the file as it was.
    /// </summary>
    public async Task<(string Name, string Text, string Wrote)> RunAsync(DeployAnswers answers, string yamlPath, CancellationToken cancellationToken)
    {
        var projectDir = Path.GetDirectoryName(Path.GetFullPath(yamlPath))!;
        var text = File.Exists(yamlPath) ? await File.ReadAllTextAsync(yamlPath, cancellationToken).ConfigureAwait(false) : $"name: {WeirYamlEditor.Quote(Path.GetFileName(projectDir))}\n";
        var project = WeirProjectReader.Read(text, yamlPath);

        var entrypoint = answers.Entrypoint ?? AskEntrypoint(projectDir);
        var flowName = entrypoint.Contains(':', StringComparison.Ordinal) ? entrypoint[(entrypoint.LastIndexOf(':') + 1)..]
            : throw new CliError($"The entrypoint '{entrypoint}' must be path/to/file.cs:flow-name (--entrypoint).");
        var name = answers.Name ?? Ask("Deployment name", "--name", "default");

        if (project.Pull.Count == 0 && GitRepository.Detect(projectDir) is { } repository)
        {
            text = await GitPullAsync(answers, repository, name, flowName, text, cancellationToken).ConfigureAwait(false);
        }

        // A project that builds an image runs in containers: a new pool is a container pool, and the deployment runs that image.
        var buildImage = project.Build.FirstOrDefault(s => s.ShortName == "build_docker_image");
        var pool = answers.Pool ?? await AskPoolAsync(cancellationToken).ConfigureAwait(false);
        var poolType = (await client.GetPoolAsync(pool, cancellationToken).ConfigureAwait(false))?.Type;
        if (poolType is null)
        {
            poolType = buildImage is null ? "process" : "container";
            await client.PutPoolAsync(pool, poolType, null, cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"Created the work pool [bold]{Markup.Escape(pool)}[/] ({poolType}{(buildImage is null ? string.Empty : ", as " + Markup.Escape(Path.GetFileName(yamlPath)) + " builds an image")}). "
                + $"Start a worker for it with: weir worker start --pool {Markup.Escape(pool)}{(poolType == "container" ? " --type container" : string.Empty)}");
        }

        string? image = null;
        var about = string.Empty;
        if (poolType == "container")
        {
            (image, about) = ImageFor(answers, buildImage, pool, yamlPath);
        }
        else if (answers.Image is not null)
        {
            throw new CliError($"--image applies to a container work pool; the work pool '{pool}' is a {poolType} pool.");
        }
        else if (buildImage is not null)
        {
            console.MarkupLine(Markup.Escape($"Note: {Path.GetFileName(yamlPath)} builds an image, but the work pool '{pool}' is a {poolType} pool, whose workers run the code on their own machine with the pull steps; choose a container pool to run the image."));
        }

        // The blocks the flow code reads by name go in its blocks: list, so its runs' tokens may read them.
        var source = Path.Combine(projectDir, entrypoint[..entrypoint.LastIndexOf(':')]);
        var blocks = File.Exists(source) ? BlockReads.Find(await File.ReadAllTextAsync(source, cancellationToken).ConfigureAwait(false)) : [];
        if (blocks.Count > 0)
        {
            about += $"; its code reads {string.Join(", ", blocks)}, declared in its blocks: list";
        }

        text = WeirYamlEditor.UpsertDeployment(text, name, WeirYamlEditor.RenderDeployment(name, entrypoint, pool, image: image, blocks: blocks));
        WeirProjectReader.Read(text, yamlPath); // never write a file that does not read back
        return (name, text, $"Wrote deployment {name} ({entrypoint}) to {Path.GetFileName(yamlPath)}{about}.");
    }

    /// <summary>The image a container pool runs: <c>--image</c>, else the image the build step makes, else asked for.</summary>
    private (string Image, string About) ImageFor(DeployAnswers answers, Storage.Steps.StepDefinition? buildImage, string pool, string yamlPath)
    {
        if (answers.Image is { Length: > 0 } given)
        {
            return (given, $", running the image {given} in the container pool '{pool}'");
        }

        if (buildImage is not null)
        {
            var id = buildImage.Id ?? throw new CliError(
                $"{buildImage.Describe()} has no id, so the deployment cannot name the image it builds for the container pool '{pool}'; add 'id: build_image' to it, or give --image NAME:TAG.");
            var reference = $"{{{{ {id}.image }}}}";
            return (reference, $", with job_variables: {{ image: '{reference}' }}: the container pool '{pool}' runs the image {buildImage.Title} builds");
        }

        var asked = interactive
            ? Ask("Image the container pool runs (with its registry and tag, e.g. registry.example.com/flows:v1)", "--image", null)
            : throw new CliError($"The work pool '{pool}' runs containers and {Path.GetFileName(yamlPath)} builds no image; give the image that holds the flow with --image NAME:TAG.");
        return (asked, $", running the image {asked} in the container pool '{pool}'");
    }

    private async Task<string> GitPullAsync(DeployAnswers answers, GitRepository repository, string name, string flowName, string text, CancellationToken cancellationToken)
    {
        var useGit = answers.Git ?? (answers.Repository is not null || !interactive ||
            console.Confirm("Your workers need this flow's code to run it. Would you like them to pull it from its remote repository?", defaultValue: true));
        if (!useGit)
        {
            return text;
        }

        var url = answers.Repository ?? (interactive && !console.Confirm($"Is {Markup.Escape(repository.Remote)} the correct URL to pull your flow code from?", defaultValue: true)
            ? Ask("Repository URL", "--repository", null)
            : repository.Remote);
        var branch = answers.Branch ?? (repository.Branch is null
            ? Ask("Branch", "--branch", "main")
            : interactive && !console.Confirm($"Is {Markup.Escape(repository.Branch)} the correct branch to pull your flow code from?", defaultValue: true)
                ? Ask("Branch", "--branch", repository.Branch)
                : repository.Branch);
        var isPrivate = answers.Private ?? (interactive
            ? console.Confirm("Is this a private repository?", defaultValue: false)
            : throw new CliError("Is the repository private? Give --private true (and the token on standard input with --token-stdin) or --private false."));

        string? tokenReference = null;
        if (isPrivate)
        {
            var block = $"deployment-{name}-{flowName}-repo-token";
            tokenReference = $"{{{{ weir.blocks.secret.{block} }}}}";
            var exists = await client.GetBlockAsync("secret", block, reveal: false, cancellationToken).ConfigureAwait(false) is not null;
            var reuse = exists && !answers.TokenFromStdin && (!interactive || console.Confirm($"The Secret block {Markup.Escape(block)} already exists. Use it?", defaultValue: true));
            if (!reuse)
            {
                var token = answers.TokenFromStdin ? await readTokenFromStdin(cancellationToken).ConfigureAwait(false)
                    : interactive ? console.Prompt(new TextPrompt<string>("Please enter a token that can be used to access your private repository. It will be saved as a Secret block via the Weir API:").Secret())
                    : throw new CliError($"The repository is private and there is no Secret block '{block}' yet; pipe the token in with --token-stdin.");
                if (token.Trim().Length == 0)
                {
                    throw new CliError("The repository token is empty.");
                }

                await client.PutBlockAsync("secret", block, new JsonObject { ["value"] = token.Trim() }, cancellationToken).ConfigureAwait(false);
                console.MarkupLine($"Stored the token as the Secret block [bold]{Markup.Escape(block)}[/].");
            }
            else
            {
                console.MarkupLine($"Using the Secret block [bold]{Markup.Escape(block)}[/] for the repository token.");
            }
        }

        return ProjectDeployments.WithGitPull(text, url, branch, tokenReference, repository.Prefix);
    }

    private string AskEntrypoint(string projectDir)
    {
        var flows = FlowDiscovery.Find(projectDir);
        if (!interactive)
        {
            throw new CliError("Which flow? Give it with --entrypoint path/to/file.cs:flow-name" + (flows.Count > 0 ? $" (found: {string.Join(", ", flows.Take(5))})." : "."));
        }

        if (flows.Count == 0)
        {
            throw new CliError($"Found no [Flow] method in the .cs files under {projectDir}; write one, or give --entrypoint path/to/file.cs:flow-name.");
        }

        return console.Prompt(new SelectionPrompt<string>().Title("Select a flow to deploy").PageSize(15).AddChoices(flows.Select(Markup.Escape)))
            .Replace("[[", "[", StringComparison.Ordinal).Replace("]]", "]", StringComparison.Ordinal);
    }

    private async Task<string> AskPoolAsync(CancellationToken cancellationToken)
    {
        if (!interactive)
        {
            throw new CliError("Which work pool? Give it with --pool NAME (created as a process pool when it does not exist).");
        }

        var pools = await client.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        var choice = pools.Count == 0 ? NewPool : console.Prompt(new SelectionPrompt<string>().Title("Which work pool should run this deployment?").PageSize(15)
            .AddChoices([NewPool, .. pools.Select(p => Markup.Escape(p.Name))]));
        return choice == NewPool ? Ask("Work pool name", "--pool", "default") : choice;
    }

    private string Ask(string question, string option, string? defaultValue)
    {
        if (!interactive)
        {
            throw new CliError($"{question}? Give it with {option}.");
        }

        var prompt = new TextPrompt<string>(Markup.Escape(question) + ":");
        if (defaultValue is not null)
        {
            prompt.DefaultValue(defaultValue);
        }

        return console.Prompt(prompt).Trim();
    }
}
