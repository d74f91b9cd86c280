using System.Text.Json.Nodes;

namespace Weir.Deploy.Registration;

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
        DockerStorage docker => Docker(docker, flowFile, project, workingDirectory),
        LocalStorage local => Local(local, flowFile, workingDirectory),
        _ => throw new DeployException($"Weir does not know the storage type {storage.GetType().Name}; use GitHubStorage, GitLabStorage, BitbucketStorage, S3Storage, GcsStorage, AzureStorage, DockerStorage or LocalStorage."),
    };

    private static TranslatedStorage Git(GitStorage git, string flowFile)
    {
        if (!git.StoredAsScript)
        {
            throw new DeployException($"`{git.Kind}` storage keeps flows only as scripts (workers clone the repository for each run); remove StoredAsScript = false, or use LocalStorage, S3Storage, GcsStorage, AzureStorage or DockerStorage to store the build on the server.");
        }

        var clone = new JsonObject { ["id"] = "clone", ["repository"] = git.RepositoryUrl };
        if (git.Branch is { Length: > 0 } branch)
        {
            clone["branch"] = branch;
        }

        // The storage says the host's kind, so a token goes in that host's format under any host name (self-hosted servers too).
        clone["provider"] = git.Kind.ToLowerInvariant();
        if (git.CredentialsBlock is { Length: > 0 } block)
        {
            clone["credentials"] = $"{{{{ weir.blocks.{git.CredentialsBlockType}.{block} }}}}";
        }
        else if (git.AccessTokenSecret is { Length: > 0 } secret)
        {
            clone["access_token"] = $"{{{{ weir.blocks.secret.{secret} }}}}";
        }

        return new TranslatedStorage { EntrypointPath = RelativeInRepository(git.Path), ScriptPath = flowFile, Pull = Steps(("git_clone", clone)) };
    }

    private static TranslatedStorage ObjectStore(ObjectStoreStorage store, string flowFile, string project, string workingDirectory)
    {
        var script = store.LocalScriptPath is { Length: > 0 } local ? Path.GetFullPath(local, workingDirectory) : flowFile;
        if (!File.Exists(script))
        {
            throw new DeployException($"LocalScriptPath '{store.LocalScriptPath}' of the `{store.Kind}` storage does not exist (looked at {script}).");
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
            _ => throw new DeployException($"Weir does not know the object-store storage {store.GetType().Name}."),
        };
        var endpoint = store switch
        {
            S3Storage s3 => s3.EndpointUrl,
            GcsStorage gcs => gcs.EndpointUrl,
            _ => null,
        };
        JsonObject WithAccess(JsonObject step)
        {
            if (store.CredentialsBlock is { Length: > 0 } block)
            {
                step["credentials"] = $"{{{{ weir.blocks.{blockType}.{block} }}}}";
            }

            if (endpoint is { Length: > 0 })
            {
                step["endpoint_url"] = endpoint;
            }

            return step;
        }

        // Each flow keeps a manifest of its own under the folder, so flows sharing a prefix never remove or hide each other's files.
        var pushStep = WithAccess(new JsonObject { ["id"] = "push_code", [place] = store.Location, ["folder"] = folder, ["manifest"] = ManifestOf(fileName) });
        if (store is AzureStorage { CreateContainer: true })
        {
            pushStep["create_container"] = true;
        }

        return new TranslatedStorage
        {
            EntrypointPath = fileName,
            ScriptPath = script,
            Push = Steps((push, pushStep)),
            Pull = Steps((pull, WithAccess(new JsonObject
            {
                ["id"] = "pull_code", [place] = $"{{{{ push_code.{place} }}}}", ["folder"] = "{{ push_code.folder }}", ["manifest"] = "{{ push_code.manifest }}",
            }))),
        };
    }

    /// <summary>The image's working folder, where <c>dockerfile: auto</c> puts relative paths.</summary>
    private const string ImageProjectFolder = "/opt/weir/project";

    private static TranslatedStorage Docker(DockerStorage docker, string flowFile, string project, string workingDirectory)
    {
        // Runs start in the image's project folder, where relative Files destinations go, with the entrypoint relative
        // to it (as the weir.yaml docker recipe does), so a flow reads its Files by the paths Files gives them. A flow
        // file outside that folder (an image that already holds it elsewhere) runs from its own folder.
        var inImage = InImage(docker.Path);
        var slash = inImage.LastIndexOf('/');
        var fileName = inImage[(slash + 1)..];
        if (fileName.Length == 0)
        {
            throw new DeployException($"DockerStorage path '{docker.Path}' names a folder; give the flow file's path in the image, such as /opt/flows/my_flow.cs.");
        }

        var inProject = inImage.StartsWith(ImageProjectFolder + "/", StringComparison.Ordinal);
        var runFolder = inProject ? ImageProjectFolder : slash == 0 ? "/" : inImage[..slash];
        var entrypoint = inProject ? inImage[(ImageProjectFolder.Length + 1)..] : fileName;
        var pull = Steps(("set_working_directory", new JsonObject { ["directory"] = runFolder }));
        if (docker.Files.Count == 0 && docker.Dockerfile == "auto")
        {
            // Seed 001: with only a path, "the image already has your flow files added into it".
            if (docker.ImageName is not { Length: > 0 } name)
            {
                throw new DeployException($"DockerStorage('{docker.Path}') has no Files, so it runs a flow the image already holds: name that image with ImageName (and Tag), or give Files (local file to path in the image) to build one.");
            }

            if (docker.BaseImage is not null || docker.RegistryCredentials is not null)
            {
                throw new DeployException($"DockerStorage('{docker.Path}') has no Files, so registration builds and pushes nothing; {(docker.BaseImage is not null ? "BaseImage" : "RegistryCredentials")} applies only to an image it builds (give Files, or a Dockerfile). Workers pull {name} with their docker login.");
            }

            var image = name + ":" + docker.Tag;
            return new TranslatedStorage
            {
                EntrypointPath = entrypoint,
                ScriptPath = flowFile,
                ScriptInImage = (image, inImage),
                Pull = pull,
                JobVariables = new JsonObject { ["image"] = image },
            };
        }

        var build = new JsonObject { ["id"] = "build_image", ["image_name"] = docker.ImageName ?? Slug(project), ["tag"] = docker.Tag };
        var script = flowFile;
        if (docker.Dockerfile == "auto")
        {
            build["dockerfile"] = "auto";
            build["include_code"] = false;
            if (docker.BaseImage is { Length: > 0 } baseImage)
            {
                build["base_image"] = baseImage;
            }

            // Each local file goes where Files says; the registered flow file goes to Path unless a file already does.
            var files = docker.Files.Select(f => (Source: Path.GetFullPath(f.Key, workingDirectory), Destination: f.Value)).ToList();
            if (files.FirstOrDefault(f => InImage(f.Destination) == inImage) is { Source: { } mapped })
            {
                script = mapped;
            }
            else
            {
                files.Add((flowFile, inImage));
            }

            var mapping = new JsonObject();
            foreach (var (source, destination) in files)
            {
                mapping[source] = destination;
            }

            build["files"] = mapping;
        }
        else
        {
            if (docker.Files.Count > 0 || docker.BaseImage is not null)
            {
                throw new DeployException($"DockerStorage('{docker.Path}') builds from the Dockerfile '{docker.Dockerfile}'; {(docker.Files.Count > 0 ? "Files" : "BaseImage")} applies only to Dockerfile = \"auto\" (copy the files in your Dockerfile instead).");
            }

            build["dockerfile"] = Path.GetFullPath(docker.Dockerfile, workingDirectory);
            build["context"] = workingDirectory;
        }

        var push = new JsonObject { ["image_name"] = "{{ build_image.image_name }}", ["tag"] = "{{ build_image.tag }}" };
        if (docker.RegistryCredentials is { Length: > 0 } credentials)
        {
            push["credentials"] = $"{{{{ weir.blocks.docker-registry-credentials.{credentials} }}}}";
        }

        return new TranslatedStorage
        {
            EntrypointPath = entrypoint,
            ScriptPath = script,
            Build = Steps(("build_docker_image", build)),
            Push = Steps(("push_docker_image", push)),
            Pull = pull,
            JobVariables = new JsonObject { ["image"] = "{{ build_image.image }}" },
        };
    }

    /// <summary>A path in the image: absolute, or relative to the image's working folder (as <c>files</c> destinations are).</summary>
    private static string InImage(string path)
    {
        var normalized = path.Replace('\\', '/');
        if (!normalized.StartsWith('/'))
        {
            normalized = ImageProjectFolder + "/" + (normalized.StartsWith("./", StringComparison.Ordinal) ? normalized[2..] : normalized);
        }

        if (normalized.Split('/').Any(p => p == ".."))
        {
            throw new DeployException($"DockerStorage path '{path}' has '..' in it; give the path in the image plainly, such as /opt/flows/my_flow.cs.");
        }

        return normalized.Replace("/./", "/", StringComparison.Ordinal);
    }

    private static TranslatedStorage Local(LocalStorage local, string flowFile, string workingDirectory)
    {
        var directory = local.Directory is { Length: > 0 } d ? Path.GetFullPath(d, workingDirectory) : Path.GetDirectoryName(flowFile)!;
        var relative = Path.GetRelativePath(directory, flowFile);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new DeployException($"The flow file {flowFile} is not inside the LocalStorage directory {directory}; workers run the flow from that directory.");
        }

        return new TranslatedStorage
        {
            EntrypointPath = relative.Replace('\\', '/'),
            ScriptPath = flowFile,
            Pull = Steps(("set_working_directory", new JsonObject { ["directory"] = directory })),
        };
    }

    private static string RelativeInRepository(string path)
    {
        var relative = path.Replace('\\', '/').TrimStart('/');
        return relative.Split('/').Any(p => p == "..")
            ? throw new DeployException($"The path '{path}' of a git storage must be inside the repository (no '..').")
            : relative;
    }

    /// <summary>The flow's manifest name under its folder: its file name, with any character a manifest name may not hold as '-'.</summary>
    private static string ManifestOf(string fileName) =>
        new string([.. fileName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-')]).Replace("..", "-", StringComparison.Ordinal);

    private static string Slug(string name) =>
        new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]).Trim('-') is { Length: > 0 } slug ? slug : "project";

    /// <summary>Steps as they are stored: <c>[{"name": {arguments}}]</c>.</summary>
    private static JsonArray Steps(params (string Name, JsonObject Arguments)[] steps) =>
        [.. steps.Select(s => (JsonNode)new JsonObject { [s.Name] = s.Arguments })];
}
