using Weir.Deploy;

namespace Weir.Deploy.Registration;

/// <summary>
/// Checks that a storage's path names the file being registered (the seeds: the path "must be an exact
/// match to the path of the file"). A git storage's <c>Path</c> must be the file's path in its repository;
/// an object store's <c>Key</c> must end in the file's name, and its <c>LocalScriptPath</c>, when given, must
/// be the file; a <c>DockerStorage</c> that copies files must put the registered file at its <c>Path</c>.
/// Otherwise workers would run another file than the one whose structure was registered.
/// </summary>
internal static class StoragePathCheck
{
    /// <param name="declaration">The storage and where it is declared.</param>
    /// <param name="flowFile">The file being registered, absolute.</param>
    /// <param name="workingDirectory">Where relative local paths start.</param>
    public static void Check(StorageDeclaration declaration, string flowFile, string workingDirectory)
    {
        var registered = Slash(Path.GetRelativePath(workingDirectory, flowFile));
        switch (declaration.Storage)
        {
            case GitStorage git:
                var folder = Path.GetDirectoryName(flowFile)!;
                var root = GitRepository.Git(folder, "rev-parse", "--show-toplevel");
                // The folder's place in the repository, as git sees it (symbolic links in the path do not matter).
                var inRepository = root is null
                    ? registered
                    : (GitRepository.Git(folder, "rev-parse", "--show-prefix") ?? string.Empty) + Path.GetFileName(flowFile);
                if (Normal(git.Path) != inRepository)
                {
                    throw new DeployException($"{declaration.Where} has Path '{git.Path}', but the file being registered is '{inRepository}' "
                        + (root is null ? $"(relative to {workingDirectory}; it is in no git repository)" : $"in its repository ({root})")
                        + $"; Path must be that file's path in the repository exactly, since workers run the file at Path from their clone. Write Path \"{inRepository}\", or register the file Path names.");
                }

                break;
            case ObjectStoreStorage store:
                if (store.LocalScriptPath is { Length: > 0 } local && Path.GetFullPath(local, workingDirectory) != flowFile)
                {
                    throw new DeployException($"{declaration.Where} uploads LocalScriptPath '{local}', but the file being registered is '{registered}'; "
                        + "they must be the same file, or workers would run another file than the one registered. Drop LocalScriptPath, or register that file.");
                }

                if (store.Key is { Length: > 0 } key && Path.GetFileName(Normal(key)) != Path.GetFileName(flowFile))
                {
                    throw new DeployException($"{declaration.Where} has Key '{key}', but the file being registered is '{registered}'; the key is that file's path in the "
                        + $"{(store is AzureStorage ? "container" : "bucket")}, so it must end in '{Path.GetFileName(flowFile)}' (for example '{KeyFolder(key)}{Path.GetFileName(flowFile)}').");
                }

                break;
            case DockerStorage docker when docker.Files.Count > 0 && docker.Dockerfile == "auto":
                var path = InProject(docker.Path);
                foreach (var (source, destination) in docker.Files)
                {
                    var isFlow = Path.GetFullPath(source, workingDirectory) == flowFile;
                    var atPath = InProject(destination) == path;
                    if (atPath && !isFlow)
                    {
                        throw new DeployException($"{declaration.Where} has Path '{docker.Path}', where Files puts '{source}', but the file being registered is '{registered}'; "
                            + "workers would run that other file. Map the registered file to Path in Files, or register the file Files puts there.");
                    }

                    if (isFlow && !atPath)
                    {
                        throw new DeployException($"{declaration.Where} copies the file being registered ('{registered}') to '{destination}', but its Path is '{docker.Path}'; "
                            + $"Path must be where the flow file is in the image. Write Path \"{destination}\", or copy the file to Path.");
                    }
                }

                break;
        }
    }

    private static string KeyFolder(string key)
    {
        var normal = Normal(key);
        var slash = normal.LastIndexOf('/');
        return slash < 0 ? string.Empty : normal[..(slash + 1)];
    }

    private static string InProject(string path)
    {
        var normal = path.Replace('\\', '/');
        return normal.StartsWith('/') ? normal : "/opt/weir/project/" + Normal(normal);
    }

    private static string Normal(string path)
    {
        var normal = path.Replace('\\', '/').TrimStart('/');
        while (normal.StartsWith("./", StringComparison.Ordinal))
        {
            normal = normal[2..];
        }

        return normal.Replace("/./", "/", StringComparison.Ordinal);
    }

    private static string Slash(string path) => path.Replace('\\', '/');
}
