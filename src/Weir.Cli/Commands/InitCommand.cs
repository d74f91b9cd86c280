using System.CommandLine;
using Spectre.Console;
using Weir.Deploy;
using Weir.Deploy.Init;
using Weir.Cli.Output;
using Weir.Storage.Ignore;
using Weir.Storage.Project;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir init [--recipe NAME] [--field key=value]... [--force]</c>: writes <c>weir.yaml</c> and
/// <c>.weirignore</c> for the current folder. With no recipe it picks one the way the seeds describe:
/// a git remote means git, a Dockerfile means docker, anything else local.
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var recipe = new Option<string?>("--recipe", "-r") { Description = "local, git, s3, azure, gcs, docker, docker-git, docker-s3, docker-azure, docker-gcs or kubernetes." };
        var fields = new Option<string[]>("--field") { Description = "A recipe value as key=value (bucket, folder, container, image_name, tag, base_image, registry_credentials, repository, branch, token_block, provider, credentials_block, pool, namespace, entrypoint).", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing weir.yaml." };
        var name = new Option<string?>("--name") { Description = "The project's name. Defaults to the folder's name." };
        var command = new Command("init", "Write weir.yaml and .weirignore for this folder from a storage recipe.") { recipe, fields, force, name };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var dir = Environment.CurrentDirectory;
            var yamlPath = Path.Combine(dir, "weir.yaml");
            if (File.Exists(yamlPath) && !parse.GetValue(force))
            {
                throw new CliError("weir.yaml already exists here; pass --force to overwrite it.");
            }

            var git = GitRepository.Detect(dir);
            var (remote, branch) = (git?.Remote, git?.Branch);
            var projectName = parse.GetValue(name) ?? Path.GetFileName(dir.TrimEnd('/'));
            var recipes = InitRecipes.Create(dir, projectName, remote, branch, Weir.Worker.Kubernetes.KubernetesJobTemplate.DefaultYaml);
            var detected = remote is not null ? "git" : File.Exists(Path.Combine(dir, "Dockerfile")) ? "docker" : "local";
            var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
            var chosenName = parse.GetValue(recipe) ?? (interactive
                ? Terminal.Out.Prompt(new SelectionPrompt<string>().Title($"Where does this project's code live? (detected: {detected})").PageSize(12)
                    .AddChoices([detected, .. recipes.Select(r => r.Name).Where(n => n != detected)]))
                : detected);
            var chosen = recipes.FirstOrDefault(r => r.Name == chosenName)
                ?? throw new CliError($"There is no recipe '{chosenName}'. Recipes: {string.Join(", ", recipes.Select(r => r.Name))}.");

            var given = (parse.GetValue(fields) ?? []).Select(ParseField).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
            foreach (var key in given.Keys.Where(k => chosen.Fields.All(f => f.Key != k)))
            {
                throw new CliError($"The {chosen.Name} recipe has no field '{key}'; its fields: {(chosen.Fields.Count == 0 ? "none" : string.Join(", ", chosen.Fields.Select(f => f.Key)))}.");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in chosen.Fields)
            {
                if (given.TryGetValue(field.Key, out var value))
                {
                    values[field.Key] = value;
                }
                else if (interactive)
                {
                    var prompt = new TextPrompt<string>(Markup.Escape(field.Question)) { AllowEmpty = field.Optional || field.Default is not null };
                    if (field.Default is not null)
                    {
                        prompt.DefaultValue(field.Default);
                    }

                    values[field.Key] = Terminal.Out.Prompt(prompt);
                }
                else if (field.Default is not null || field.Optional)
                {
                    values[field.Key] = field.Default ?? string.Empty;
                }
                else
                {
                    throw new CliError($"The {chosen.Name} recipe needs '{field.Key}' ({field.Question}); give it with --field {field.Key}=VALUE.");
                }
            }

            File.WriteAllText(yamlPath, chosen.Render(values));
            foreach (var (file, text) in chosen.Files?.Invoke(values) ?? new Dictionary<string, string>())
            {
                File.WriteAllText(Path.Combine(dir, file), text);
                Terminal.Out.MarkupLine($"Wrote [bold]{Markup.Escape(file)}[/].");
            }

            var ignorePath = Path.Combine(dir, DefaultWeirIgnore.FileName);
            var wroteIgnore = !File.Exists(ignorePath);
            if (wroteIgnore)
            {
                File.WriteAllText(ignorePath, DefaultWeirIgnore.Text);
            }

            Terminal.Out.MarkupLine($"Wrote [bold]weir.yaml[/] with the [bold]{chosen.Name}[/] recipe: {Markup.Escape(chosen.Description)}");
            Terminal.Out.MarkupLine(wroteIgnore ? "Wrote [bold].weirignore[/] (files pushes leave out)." : "Kept the existing .weirignore.");
            var written = WeirProjectReader.Read(File.ReadAllText(yamlPath), "weir.yaml");
            var steps = written.Build.Concat(written.Push).Concat(written.Pull).ToList();
            foreach (var note in CredentialNotes.For(steps))
            {
                Terminal.Out.MarkupLine(Markup.Escape("Note: " + note));
            }

            await CheckBlocksAsync(steps, cancellationToken).ConfigureAwait(false);
            if (chosen.Next?.Invoke(values) is { } next)
            {
                Terminal.Out.MarkupLine(Markup.Escape("Next: " + next));
            }

            Terminal.Out.MarkupLine("Next: run [bold]weir deploy[/] (in a terminal it asks which flow to deploy and writes the deployment here), or add one under 'deployments:' yourself.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The blocks the recipe's answers name should exist before the first deploy: say which do not, and how to create them.</summary>
    private static async Task CheckBlocksAsync(IReadOnlyList<Weir.Storage.Steps.StepDefinition> steps, CancellationToken cancellationToken)
    {
        if (!steps.Any(s => s.Arguments.Entries.Any(e => e.Value.ToPlain() is string text && text.Contains("weir.blocks.", StringComparison.Ordinal))))
        {
            return;
        }

        try
        {
            using var client = ServerApi.Client();
            foreach (var line in await new ReferenceCheck(client, ServerApi.Url).MissingInAsync(steps, cancellationToken).ConfigureAwait(false))
            {
                Terminal.Out.MarkupLine(Markup.Escape($"Warning: {line} (before weir deploy)."));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or Weir.Client.WeirApiException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Terminal.Out.MarkupLine(Markup.Escape($"Could not check that the blocks weir.yaml names exist: no Weir server answered at {ServerApi.Url} ({ex.Message}); weir deploy checks them."));
        }
    }

    private static KeyValuePair<string, string> ParseField(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? new(text[..equals].Trim(), text[(equals + 1)..]) : throw new CliError($"'{text}' is not a field; write it as --field key=value.");
    }
}
