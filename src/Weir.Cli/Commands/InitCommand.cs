using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Weir.Cli.Init;
using Weir.Cli.Output;
using Weir.Storage.Ignore;

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
        var recipe = new Option<string?>("--recipe", "-r") { Description = "local, git, s3, azure, gcs, docker, docker-git, docker-s3, docker-azure or docker-gcs." };
        var fields = new Option<string[]>("--field") { Description = "A recipe value as key=value (bucket, folder, container, image_name, tag, repository, branch, token_block, credentials_block).", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing weir.yaml." };
        var name = new Option<string?>("--name") { Description = "The project's name. Defaults to the folder's name." };
        var command = new Command("init", "Write weir.yaml and .weirignore for this folder from a storage recipe.") { recipe, fields, force, name };
        CliAction.Set(command, (parse, _) =>
        {
            var dir = Environment.CurrentDirectory;
            var yamlPath = Path.Combine(dir, "weir.yaml");
            if (File.Exists(yamlPath) && !parse.GetValue(force))
            {
                throw new CliError("weir.yaml already exists here; pass --force to overwrite it.");
            }

            var (remote, branch) = DetectGit(dir);
            var projectName = parse.GetValue(name) ?? Path.GetFileName(dir.TrimEnd('/'));
            var recipes = InitRecipes.Create(dir, projectName, remote, branch);
            var chosenName = parse.GetValue(recipe) ?? (remote is not null ? "git" : File.Exists(Path.Combine(dir, "Dockerfile")) ? "docker" : "local");
            var chosen = recipes.FirstOrDefault(r => r.Name == chosenName)
                ?? throw new CliError($"There is no recipe '{chosenName}'. Recipes: {string.Join(", ", recipes.Select(r => r.Name))}.");

            var given = (parse.GetValue(fields) ?? []).Select(ParseField).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
            foreach (var key in given.Keys.Where(k => chosen.Fields.All(f => f.Key != k)))
            {
                throw new CliError($"The {chosen.Name} recipe has no field '{key}'; its fields: {(chosen.Fields.Count == 0 ? "none" : string.Join(", ", chosen.Fields.Select(f => f.Key)))}.");
            }

            var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
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
            var ignorePath = Path.Combine(dir, DefaultWeirIgnore.FileName);
            var wroteIgnore = !File.Exists(ignorePath);
            if (wroteIgnore)
            {
                File.WriteAllText(ignorePath, DefaultWeirIgnore.Text);
            }

            Terminal.Out.MarkupLine($"Wrote [bold]weir.yaml[/] with the [bold]{chosen.Name}[/] recipe: {Markup.Escape(chosen.Description)}");
            Terminal.Out.MarkupLine(wroteIgnore ? "Wrote [bold].weirignore[/] (files pushes leave out)." : "Kept the existing .weirignore.");
            Terminal.Out.MarkupLine("Next: add a deployment to weir.yaml, then run [bold]weir deploy[/].");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static KeyValuePair<string, string> ParseField(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? new(text[..equals].Trim(), text[(equals + 1)..]) : throw new CliError($"'{text}' is not a field; write it as --field key=value.");
    }

    /// <summary>The origin remote's URL and the current branch, when the folder is in a git repository.</summary>
    internal static (string? Remote, string? Branch) DetectGit(string dir) =>
        (Git(dir, "remote", "get-url", "origin"), Git(dir, "symbolic-ref", "--short", "HEAD"));

    private static string? Git(string dir, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
