using System.Text;
using Weir.Storage.Project;

namespace Weir.Cli.Register;

/// <summary>
/// Translates the code-first storage objects of a flow file (<see cref="GitHubStorage"/>,
/// <see cref="S3Storage"/>, ...) to the same build, push and pull steps <c>weir init</c> writes, so
/// that registration and <c>weir deploy</c> store the same kind of deployment.
/// </summary>
internal static class StorageTranslator
{
    /// <param name="storage">The declared storage.</param>
    /// <param name="flowFile">The flow file being registered, absolute.</param>
    /// <param name="project">The <c>--project</c> name (used for generated keys and image names).</param>
    /// <param name="workingDirectory">Where relative local paths start.</param>
    public static TranslatedStorage Translate(FlowStorage storage, string flowFile, string project, string workingDirectory) => storage switch
    {
        GitStorage git => Git(git, flowFile),
        ObjectStoreStorage store => ObjectStore(store, flowFile, project, workingDirectory),
        DockerStorage docker => Docker(docker, flowFile, project),
        LocalStorage local => Local(local, flowFile, workingDirectory),
        _ => throw new CliError($"Weir does not know the storage type {storage.GetType().Name}; use GitHubStorage, GitLabStorage, BitbucketStorage, S3Storage, GcsStorage, AzureStorage, DockerStorage or LocalStorage."),
    };

    private static TranslatedStorage Git(GitStorage git, string flowFile)
    {
        if (!git.StoredAsScript)
        {
            throw new CliError($"`{git.Kind}` storage keeps flows only as scripts (workers clone the repository for each run); remove StoredAsScript = false, or use LocalStorage, S3Storage, GcsStorage, AzureStorage or DockerStorage to store the build on the server.");
        }

        var pull = new StringBuilder("- git_clone:\n    id: clone\n");
        pull.Append("    repository: ").Append(Q(git.RepositoryUrl)).Append('\n');
        if (git.Branch is { Length: > 0 } branch)
        {
            pull.Append("    branch: ").Append(Q(branch)).Append('\n');
        }

        if (git.CredentialsBlock is { Length: > 0 } block)
        {
            pull.Append("    credentials: ").Append(Q($"{{{{ weir.blocks.{git.CredentialsBlockType}.{block} }}}}")).Append('\n');
        }
        else if (git.AccessTokenSecret is { Length: > 0 } secret)
        {
            pull.Append("    access_token: ").Append(Q($"{{{{ weir.blocks.secret.{secret} }}}}")).Append('\n');
        }

        return new TranslatedStorage { EntrypointPath = RelativeInRepository(git.Path), ScriptPath = flowFile, Pull = pull.ToString() };
    }

    private static TranslatedStorage ObjectStore(ObjectStoreStorage store, string flowFile, string project, string workingDirectory)
    {
        var script = store.LocalScriptPath is { Length: > 0 } local ? Path.GetFullPath(local, workingDirectory) : flowFile;
        if (!File.Exists(script))
        {
            throw new CliError($"LocalScriptPath '{store.LocalScriptPath}' of the `{store.Kind}` storage does not exist (looked at {script}).");
        }

        var key = (store.Key is { Length: > 0 } k ? k : $"weir/{Slug(project)}/{Path.GetFileNameWithoutExtension(script)}/{Path.GetFileName(script)}").Trim('/');
        var slash = key.LastIndexOf('/');
        var folder = slash < 0 ? string.Empty : key[..slash];
        var fileName = key[(slash + 1)..];
        if (!store.StoredAsScript)
        {
            // The build on the server is what runs; nothing needs uploading to the store.
            return new TranslatedStorage { EntrypointPath = fileName, ScriptPath = script, NoPull = true };
        }

        var (push, pull, place, blockType) = store switch
        {
            S3Storage => ("push_to_s3", "pull_from_s3", "bucket", "aws-credentials"),
            GcsStorage => ("push_to_gcs", "pull_from_gcs", "bucket", "gcp-credentials"),
            AzureStorage => ("push_to_azure_blob_storage", "pull_from_azure_blob_storage", "container", "azure-blob-storage-credentials"),
            _ => throw new CliError($"Weir does not know the object-store storage {store.GetType().Name}."),
        };
        var endpoint = store switch
        {
            S3Storage s3 => s3.EndpointUrl,
            GcsStorage gcs => gcs.EndpointUrl,
            _ => null,
        };
        var extra = new StringBuilder();
        if (store.CredentialsBlock is { Length: > 0 } block)
        {
            extra.Append("    credentials: ").Append(Q($"{{{{ weir.blocks.{blockType}.{block} }}}}")).Append('\n');
        }

        if (endpoint is { Length: > 0 })
        {
            extra.Append("    endpoint_url: ").Append(Q(endpoint)).Append('\n');
        }

        return new TranslatedStorage
        {
            EntrypointPath = fileName,
            ScriptPath = script,
            Push = $"- {push}:\n    id: push_code\n    {place}: {Q(store.Location)}\n    folder: {Q(folder)}\n{extra}",
            Pull = $"- {pull}:\n    id: pull_code\n    {place}: '{{{{ push_code.{place} }}}}'\n    folder: '{{{{ push_code.folder }}}}'\n{extra}",
        };
    }

    private static TranslatedStorage Docker(DockerStorage docker, string flowFile, string project)
    {
        // The image steps are the container work pool's (build_docker_image / push_docker_image); the
        // pull names the folder of the flow in the image and the pool's job variables name the image.
        var build = new StringBuilder("- build_docker_image:\n    id: build_image\n");
        build.Append("    image_name: ").Append(Q(docker.ImageName ?? Slug(project))).Append('\n');
        build.Append("    tag: ").Append(Q(docker.Tag)).Append('\n');
        build.Append("    dockerfile: ").Append(Q(docker.Dockerfile)).Append('\n');
        if (docker.Files.Count > 0)
        {
            build.Append("    files:\n");
            foreach (var (source, destination) in docker.Files)
            {
                build.Append("      ").Append(Q(source)).Append(": ").Append(Q(destination)).Append('\n');
            }
        }

        var directory = docker.Path.Contains('/', StringComparison.Ordinal) ? docker.Path[..docker.Path.LastIndexOf('/')] : ".";
        return new TranslatedStorage
        {
            EntrypointPath = docker.Path[(docker.Path.LastIndexOf('/') + 1)..],
            ScriptPath = flowFile,
            Build = build.ToString(),
            Push = "- push_docker_image:\n    image_name: '{{ build_image.image_name }}'\n    tag: '{{ build_image.tag }}'\n",
            Pull = $"- set_working_directory:\n    directory: {Q(directory.Length == 0 ? "/" : directory)}\n",
            JobVariables = "{ image: '{{ build_image.image }}' }",
        };
    }

    private static TranslatedStorage Local(LocalStorage local, string flowFile, string workingDirectory)
    {
        var directory = local.Directory is { Length: > 0 } d ? Path.GetFullPath(d, workingDirectory) : Path.GetDirectoryName(flowFile)!;
        var relative = Path.GetRelativePath(directory, flowFile);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new CliError($"The flow file {flowFile} is not inside the LocalStorage directory {directory}; workers run the flow from that directory.");
        }

        return new TranslatedStorage
        {
            EntrypointPath = relative.Replace('\\', '/'),
            ScriptPath = flowFile,
            Pull = $"- set_working_directory:\n    directory: {Q(directory)}\n",
        };
    }

    private static string RelativeInRepository(string path)
    {
        var relative = path.Replace('\\', '/').TrimStart('/');
        return relative.Split('/').Any(p => p == "..")
            ? throw new CliError($"The path '{path}' of a git storage must be inside the repository (no '..').")
            : relative;
    }

    private static string Slug(string name) =>
        new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]).Trim('-') is { Length: > 0 } slug ? slug : "project";

    private static string Q(string value) => WeirYamlEditor.Quote(value);
}
