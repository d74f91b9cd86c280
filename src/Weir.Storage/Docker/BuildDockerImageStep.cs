using Weir.Storage.Steps;

namespace Weir.Storage.Docker;

/// <summary>
/// <c>build_docker_image</c>: builds <c>image_name:tag</c> with the docker command. <c>dockerfile</c>
/// is a Dockerfile in the project (built with the project folder as context), or <c>auto</c> (the
/// default), which bakes the Weir runner and, unless <c>include_code: false</c>, the project minus
/// <c>.weirignore</c> onto <c>base_image</c> (default the official ASP.NET Core runtime image, which
/// the runner needs; it must be on the daemon or pullable, which is checked before building). <c>files</c> maps further local files to paths in the image, as in
/// <c>DockerStorage(files: ...)</c>. <c>context</c> is the build context of a given Dockerfile (default
/// the project folder). Outputs <c>image</c> (<c>name:tag</c>), <c>image_name</c>,
/// <c>tag</c> and <c>image_id</c>.
/// </summary>
internal sealed class BuildDockerImageStep(DockerCli? docker = null) : IDryRunStep
{
    /// <summary>The default base image of <c>dockerfile: auto</c>.</summary>
    public const string DefaultBaseImage = DockerDefaults.BaseImage;

    /// <summary>How many of docker's last lines a failed build's message shows (all of them were printed as it ran).</summary>
    private const int ErrorLines = 12;

    public string Name => "build_docker_image";

    public IReadOnlyCollection<string> Arguments { get; } =
        ["image_name", "tag", "dockerfile", "base_image", "include_code", "files", "runner_directory", "build_args", "platform", "context"];

    public async Task<IReadOnlyDictionary<string, object?>> RunAsync(StepArguments arguments, StepContext context, CancellationToken cancellationToken)
    {
        var cli = docker ?? new DockerCli();
        var imageName = arguments.GetRequiredString("image_name");
        var tag = arguments.GetString("tag") is { Length: > 0 } t ? t : "latest";
        var image = imageName + ":" + tag;
        var dockerfile = arguments.GetString("dockerfile") is { Length: > 0 } d ? d : "auto";
        var project = context.WorkingDirectory;
        if (context.DryRun)
        {
            context.Print($"Dry run: would build {image} ({(dockerfile == "auto" ? "dockerfile: auto" : dockerfile)}); nothing was built.");
            return new Dictionary<string, object?> { ["image"] = image, ["image_name"] = imageName, ["tag"] = tag, ["image_id"] = null };
        }

        var buildArguments = new List<string> { "build", "--tag", image };
        if (arguments.GetString("platform") is { Length: > 0 } platform)
        {
            buildArguments.AddRange(["--platform", platform]);
        }

        var buildArgs = arguments.GetStringMap("build_args");
        foreach (var name in buildArgs.Keys.Order(StringComparer.Ordinal))
        {
            // The value travels in the environment (--build-arg NAME), never in the argument list.
            buildArguments.AddRange(["--build-arg", name]);
        }

        string? contextFolder = null;
        try
        {
            if (dockerfile == "auto")
            {
                if (arguments.Has("context"))
                {
                    throw new StepException("'context' applies to a Dockerfile of your own; dockerfile: auto writes its own build context.");
                }

                contextFolder = Path.Combine(context.CacheDirectory, "docker-build", Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(contextFolder);
                var baseImage = arguments.GetString("base_image") is { Length: > 0 } b ? b : DefaultBaseImage;
                var runner = RunnerDirectory(arguments.GetString("runner_directory"));
                var files = Files(arguments, project);
                await EnsureBaseImageAsync(cli, baseImage, context, cancellationToken).ConfigureAwait(false);
                var (text, count) = await AutoDockerfile.WriteAsync(contextFolder, baseImage, runner,
                    arguments.GetBool("include_code", true) ? project : null, files, context.Print, cancellationToken).ConfigureAwait(false);
                context.Print($"Building {image} from {baseImage} with the Weir runner from {runner}"
                    + (arguments.GetBool("include_code", true) ? $" and {count} project file(s) from {project} in {AutoDockerfile.ProjectFolder}" : string.Empty)
                    + (files.Count > 0 ? $" and {files.Count} more file(s)" : string.Empty) + ".");
                buildArguments.AddRange(["--file", Path.Combine(contextFolder, "Dockerfile"), contextFolder]);
            }
            else
            {
                var path = Path.GetFullPath(dockerfile, project);
                if (!File.Exists(path))
                {
                    throw new StepException($"the Dockerfile '{dockerfile}' does not exist (looked at {path}); give a path relative to the project folder, or 'auto'.");
                }

                if (new[] { "base_image", "include_code", "files", "runner_directory" }.FirstOrDefault(arguments.Has) is { } unused)
                {
                    throw new StepException($"'{unused}' applies to dockerfile: auto only; this step builds {dockerfile}.");
                }

                var buildContext = arguments.GetString("context") is { Length: > 0 } c ? Path.GetFullPath(c, project) : project;
                if (!Directory.Exists(buildContext))
                {
                    throw new StepException($"the build context '{buildContext}' is not a folder.");
                }

                context.Print($"Building {image} from {path}.");
                buildArguments.AddRange(["--file", path, buildContext]);
            }

            var result = await cli.RunAsync(buildArguments, (line, _) => context.Print(line), cancellationToken, environment: buildArgs).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                var last = result.LastLines.TakeLast(ErrorLines).ToList();
                throw new StepException($"docker build of {image} exited with {result.ExitCode}; "
                    + (last.Count == 0 ? "it printed nothing." : $"its last {last.Count} line(s) (all of its output is above):\n" + string.Join('\n', last)));
            }

            var inspect = await cli.RunAsync(["image", "inspect", "--format", "{{.Id}}", image], null, cancellationToken).ConfigureAwait(false);
            var id = inspect.Succeeded ? inspect.StandardOutput.Trim() : null;
            context.Print($"Built {image}{(id is null ? string.Empty : " (" + id + ")")}.");
            return new Dictionary<string, object?> { ["image"] = image, ["image_name"] = imageName, ["tag"] = tag, ["image_id"] = id };
        }
        catch (DockerException ex)
        {
            throw new StepException(ex.Message, ex);
        }
        finally
        {
            if (contextFolder is not null)
            {
                try
                {
                    Directory.Delete(contextFolder, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>
    /// Before building on <paramref name="baseImage"/>: it is on the daemon, or it is pulled now. One that is
    /// neither (no internet, a private registry without a login, a typo) fails here with what to do, instead of deep
    /// in docker's build output.
    /// </summary>
    private static async Task EnsureBaseImageAsync(DockerCli cli, string baseImage, StepContext context, CancellationToken cancellationToken)
    {
        if (await cli.HasImageAsync(baseImage, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        context.Print($"The base image {baseImage} is not on the Docker daemon; pulling it.");
        var pull = await cli.RunAsync(["pull", baseImage], (line, _) => context.Print(line), cancellationToken).ConfigureAwait(false);
        if (pull.Succeeded)
        {
            return;
        }

        var daemon = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? $"the Docker daemon at {host}" : "this machine's Docker daemon";
        var why = pull.LastLines.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? $"docker pull exited with {pull.ExitCode}";
        throw new StepException(
            $"the base image '{baseImage}' is not on {daemon} and could not be pulled ({why}). Give 'base_image' an image the daemon has "
            + "(see docker images), or provide one: docker pull it where there is internet and move it with docker save / docker load, "
            + "or build a local one with the .NET runtime and ASP.NET Core (README: \"A base image without the internet\").");
    }

    /// <summary>The folder of the <c>weir</c> CLI to bake in: the argument, <c>WEIR_RUNNER_DIRECTORY</c>, or this program's own folder when it is the CLI.</summary>
    private static string RunnerDirectory(string? given)
    {
        var candidate = given is { Length: > 0 } ? Path.GetFullPath(given)
            : Environment.GetEnvironmentVariable("WEIR_RUNNER_DIRECTORY") is { Length: > 0 } configured ? Path.GetFullPath(configured)
            : AppContext.BaseDirectory;
        return File.Exists(Path.Combine(candidate, "Weir.Cli.dll")) && File.Exists(Path.Combine(candidate, "Weir.Cli.runtimeconfig.json"))
            ? candidate
            : throw new StepException(
                $"the folder '{candidate}' holds no Weir runner (Weir.Cli.dll and Weir.Cli.runtimeconfig.json). Set 'runner_directory' "
                + "(or WEIR_RUNNER_DIRECTORY) to the folder of a published weir, e.g. the output of 'dotnet publish src/Weir.Cli -o DIR'.");
    }

    /// <summary>The <c>files</c> mapping: local file (relative to the project) to path in the image.</summary>
    private static List<KeyValuePair<string, string>> Files(StepArguments arguments, string project)
    {
        var files = new List<KeyValuePair<string, string>>();
        foreach (var (local, inImage) in arguments.GetStringMap("files"))
        {
            var source = Path.GetFullPath(local, project);
            if (!File.Exists(source))
            {
                throw new StepException($"'files' names '{local}', which is not a file (looked at {source}).");
            }

            if (inImage.Length == 0)
            {
                throw new StepException($"'files' gives '{local}' no path in the image.");
            }

            files.Add(new(source, inImage));
        }

        return files;
    }
}
