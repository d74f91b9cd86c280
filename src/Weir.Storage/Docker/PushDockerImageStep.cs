using System.Text.RegularExpressions;
using Weir.Storage.Steps;

namespace Weir.Storage.Docker;

/// <summary>
/// <c>push_docker_image</c>: pushes <c>image_name:tag</c> to its registry with the docker command.
/// With <c>credentials</c> (a <c>docker-registry-credentials</c> block: <c>username</c>,
/// <c>password</c>, <c>registry_url</c>) it logs in first, in a throwaway docker config folder, so the
/// password goes to docker on standard input and is never written to the user's docker config, an
/// argument list or a log line. Outputs <c>image</c>, <c>image_name</c>, <c>tag</c> and <c>digest</c>.
/// </summary>
internal sealed partial class PushDockerImageStep(DockerCli? docker = null) : IDryRunStep
{
    public string Name => "push_docker_image";

    public IReadOnlyCollection<string> Arguments { get; } = ["image_name", "tag", "credentials"];

    public async Task<IReadOnlyDictionary<string, object?>> RunAsync(StepArguments arguments, StepContext context, CancellationToken cancellationToken)
    {
        var cli = docker ?? new DockerCli();
        var imageName = arguments.GetRequiredString("image_name");
        var tag = arguments.GetString("tag") is { Length: > 0 } t ? t : "latest";
        var image = imageName + ":" + tag;
        var credentials = arguments.GetMap("credentials");
        if (context.DryRun)
        {
            context.Print($"Dry run: would push {image}; nothing was pushed.");
            return new Dictionary<string, object?> { ["image"] = image, ["image_name"] = imageName, ["tag"] = tag, ["digest"] = null };
        }

        string? config = null;
        try
        {
            var prefix = new List<string>();
            if (credentials is not null)
            {
                var username = Field(credentials, "username");
                var password = Field(credentials, "password");
                context.Redactor.Add(password);
                var registry = credentials.TryGetValue("registry_url", out var url) && url is string { Length: > 0 } u ? u : RegistryOf(imageName);
                config = Path.Combine(Path.GetTempPath(), "weir-docker-config-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(config);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                prefix.AddRange(["--config", config]);
                context.Print($"Logging in to {registry} as {username}.");
                var login = await cli.RunAsync([.. prefix, "login", registry, "--username", username, "--password-stdin"], null, cancellationToken, standardInput: password + "\n").ConfigureAwait(false);
                if (!login.Succeeded)
                {
                    throw new StepException($"docker login to {registry} as {username} failed (exit code {login.ExitCode}): {context.Redactor.Redact(login.Tail)} Check the credentials block.");
                }
            }

            context.Print($"Pushing {image}.");
            var result = await cli.RunAsync([.. prefix, "push", image], (line, _) => context.Print(line), cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new StepException($"docker push of {image} exited with {result.ExitCode}: {result.Tail}"
                    + (credentials is null ? " If the registry needs a login, give 'credentials' (a docker-registry-credentials block) or run docker login." : string.Empty));
            }

            var digest = DigestLine().Match(result.StandardOutput) is { Success: true } m ? m.Groups[1].Value : null;
            return new Dictionary<string, object?> { ["image"] = image, ["image_name"] = imageName, ["tag"] = tag, ["digest"] = digest };
        }
        catch (DockerException ex)
        {
            throw new StepException(ex.Message, ex);
        }
        finally
        {
            if (config is not null)
            {
                try
                {
                    Directory.Delete(config, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>The registry part of an image name (<c>host[:port]/repo</c>), or Docker Hub when the first part is not a host.</summary>
    internal static string RegistryOf(string imageName)
    {
        var slash = imageName.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = imageName[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                return first;
            }
        }

        return "docker.io";
    }

    private static string Field(IReadOnlyDictionary<string, object?> block, string name) =>
        block.TryGetValue(name, out var value) && value is string { Length: > 0 } text
            ? text
            : throw new StepException($"the credentials block has no '{name}'; a docker-registry-credentials block needs username and password (registry_url is optional).");

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex DigestLine();
}
