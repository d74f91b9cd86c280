using System.Text;
using Weir.Storage.ObjectStores;

namespace Weir.Storage.Docker;

/// <summary>
/// The build context and Dockerfile of <c>dockerfile: auto</c>: the Weir runner (the <c>weir</c> CLI,
/// run by <c>dotnet</c> from <see cref="RunnerFolder"/>), the project folder minus what
/// <c>.weirignore</c> leaves out (at <see cref="ProjectFolder"/>, the image's working folder), and
/// any single <c>files</c>, on a base image that has the .NET runtime. Nothing in it runs a command
/// at build time, so it builds on any daemon, without network, with the classic builder or BuildKit.
/// </summary>
internal static class AutoDockerfile
{
    /// <summary>Where the code goes in the image; the working folder of its containers.</summary>
    public const string ProjectFolder = "/opt/weir/project";

    /// <summary>Where the runner goes in the image.</summary>
    public const string RunnerFolder = "/opt/weir/runner";

    /// <summary>
    /// Writes the context into <paramref name="contextFolder"/> (which must be empty) and returns the
    /// Dockerfile's text. <paramref name="files"/> maps local files to paths in the image (relative
    /// paths are under <see cref="ProjectFolder"/>).
    /// </summary>
    public static async Task<(string Dockerfile, int ProjectFiles)> WriteAsync(
        string contextFolder, string baseImage, string runnerDirectory, string? projectDirectory, IReadOnlyList<KeyValuePair<string, string>> files,
        Action<string> print, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("# Written by Weir's build_docker_image (dockerfile: auto).\n");
        text.Append($"FROM {baseImage}\n");

        // The runner first: it changes least, so its layer is reused from the build cache.
        CopyTree(runnerDirectory, Path.Combine(contextFolder, "runner"), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(contextFolder, "weir"), $"#!/bin/sh\nexec dotnet {RunnerFolder}/Weir.Cli.dll \"$@\"\n", cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(contextFolder, "weir"), (UnixFileMode)0b111_101_101);
        }

        text.Append($"COPY runner/ {RunnerFolder}/\n");
        text.Append("COPY weir /usr/local/bin/weir\n");
        text.Append("ENV WEIR_HOME=/opt/weir/home DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1\n");

        var count = 0;
        if (projectDirectory is not null)
        {
            var matcher = ObjectStorePush.LoadIgnore(projectDirectory, print);
            var manifest = await LocalFiles.ScanAsync(projectDirectory, matcher, cancellationToken).ConfigureAwait(false);
            var target = Path.Combine(contextFolder, "project");
            Directory.CreateDirectory(target);
            foreach (var relative in manifest.Files.Keys)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var destination = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(Path.Combine(projectDirectory, relative), destination);
            }

            count = manifest.Files.Count;
            text.Append($"COPY project/ {ProjectFolder}/\n");
        }

        for (var i = 0; i < files.Count; i++)
        {
            var (source, destination) = files[i];
            var name = Path.GetFileName(source);
            var folder = Path.Combine(contextFolder, "files", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            File.Copy(source, Path.Combine(folder, name));
            var inImage = destination.StartsWith('/') ? destination : ProjectFolder + "/" + destination.TrimStart('.', '/');
            text.Append($"COPY [\"files/{i}/{name}\", \"{inImage}\"]\n");
        }

        text.Append($"WORKDIR {ProjectFolder}\n");
        var dockerfile = text.ToString();
        await File.WriteAllTextAsync(Path.Combine(contextFolder, "Dockerfile"), dockerfile, cancellationToken).ConfigureAwait(false);
        return (dockerfile, count);
    }

    private static void CopyTree(string from, string to, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry is DirectoryInfo directory)
            {
                CopyTree(directory.FullName, Path.Combine(to, entry.Name), cancellationToken);
            }
            else
            {
                File.Copy(entry.FullName, Path.Combine(to, entry.Name));
            }
        }
    }
}
