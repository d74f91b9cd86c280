using System.Diagnostics;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Weir.Compiler;

/// <summary>
/// Restores <c>#:package</c> directives with <c>dotnet restore</c> of a throwaway project (so the
/// user's NuGet configuration, feeds and credentials apply), once per set of directives per
/// machine, and reads the compile and runtime assemblies from <c>project.assets.json</c>.
/// </summary>
internal sealed partial class PackageRestorer(string weirHome, Action<string>? progress)
{
    [GeneratedRegex(@"(?:error|warning) (NU\d{4}): (.*?)(?: \[[^\]]*\])?$", RegexOptions.Multiline)]
    private static partial Regex NuGetError();

    public async Task<RestoredPackages> RestoreAsync(FlowSource source, CancellationToken cancellationToken)
    {
        if (source.Packages.Count == 0)
        {
            return RestoredPackages.None;
        }

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            source.Packages.Select(p => $"{p.Name.ToLowerInvariant()}@{p.Version}").Order(StringComparer.Ordinal)))))[..24];
        var folder = Path.Combine(weirHome, "cache", "packages", key);
        var resultPath = Path.Combine(folder, "restore.json");
        if (await TryReadAsync(resultPath, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return cached;
        }

        Directory.CreateDirectory(folder);
        using var gate = await FileLock.AcquireAsync(Path.Combine(folder, ".lock"), cancellationToken).ConfigureAwait(false);
        if (await TryReadAsync(resultPath, cancellationToken).ConfigureAwait(false) is { } restoredMeanwhile)
        {
            return restoredMeanwhile;
        }

        foreach (var empty in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            // Stops MSBuild from picking up settings of whatever folder WEIR_HOME sits in.
            await File.WriteAllTextAsync(Path.Combine(folder, empty), "<Project />\n", cancellationToken).ConfigureAwait(false);
        }

        var references = string.Join("\n", source.Packages.Select(p => $"    <PackageReference Include=\"{SecurityElement.Escape(p.Name)}\" Version=\"{SecurityElement.Escape(p.Version)}\" />"));
        await File.WriteAllTextAsync(Path.Combine(folder, "restore.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <NuGetAudit>false</NuGetAudit>
                <EnableDefaultItems>false</EnableDefaultItems>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """, cancellationToken).ConfigureAwait(false);

        progress?.Invoke($"Restoring packages for {source.Path}: {string.Join(", ", source.Packages.Select(p => p.Name + " " + p.Version))}...");
        var (exit, output) = await RunRestoreAsync(folder, NuGetConfigFor(source.Path), cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new CompilationFailedException(source.Path, Errors(source, output));
        }

        var restored = ReadAssets(Path.Combine(folder, "obj", "project.assets.json"));
        var staging = resultPath + ".tmp";
        await File.WriteAllTextAsync(staging, JsonSerializer.Serialize(restored, CacheJsonContext.Default.RestoredPackages), cancellationToken).ConfigureAwait(false);
        File.Move(staging, resultPath, overwrite: true);
        return restored;
    }

    /// <summary>The cached result, unless it is missing, unreadable, or names files no longer in the NuGet folder.</summary>
    private static async Task<RestoredPackages?> TryReadAsync(string resultPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(resultPath))
        {
            return null;
        }

        try
        {
            var cached = JsonSerializer.Deserialize(await File.ReadAllTextAsync(resultPath, cancellationToken).ConfigureAwait(false), CacheJsonContext.Default.RestoredPackages);
            return cached is not null && cached.CompileAssemblies.Concat(cached.RuntimeAssemblies).All(File.Exists) ? cached : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<(int Exit, string Output)> RunRestoreAsync(string folder, string? nugetConfig, CancellationToken cancellationToken)
    {
        var host = Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
        var start = new ProcessStartInfo(host) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "restore", "restore.csproj", "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(argument);
        }

        if (nugetConfig is not null)
        {
            start.ArgumentList.Add("--configfile");
            start.ArgumentList.Add(nugetConfig);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var restore = Process.Start(start) ?? throw new InvalidOperationException("dotnet restore did not start.");
        var stdout = restore.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = restore.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await restore.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            restore.Kill(entireProcessTree: true);
            throw;
        }

        return (restore.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    /// <summary>The nearest nuget.config above the flow file, so a repository's feeds apply to its flows.</summary>
    private static string? NuGetConfigFor(string sourcePath)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(sourcePath))!); dir is not null; dir = dir.Parent)
        {
            var config = dir.EnumerateFiles().FirstOrDefault(f => string.Equals(f.Name, "nuget.config", StringComparison.OrdinalIgnoreCase));
            if (config is not null)
            {
                return config.FullName;
            }
        }

        return null;
    }

    private static List<string> Errors(FlowSource source, string output)
    {
        var errors = new List<string>();
        foreach (Match match in NuGetError().Matches(output))
        {
            var message = match.Groups[2].Value.Trim();
            var directive = source.Packages.FirstOrDefault(p => message.Contains(p.Name, StringComparison.OrdinalIgnoreCase)) ?? source.Packages[0];
            var line = $"{source.Path}({directive.Line},{directive.Column}): error {match.Groups[1].Value}: {message}";
            if (!errors.Contains(line))
            {
                errors.Add(line);
            }
        }

        if (errors.Count == 0)
        {
            errors.Add($"{source.Path}({source.Packages[0].Line},{source.Packages[0].Column}): error WEIR003: restoring the #:package directives failed: {output.Trim()}");
        }

        return errors;
    }

    private static RestoredPackages ReadAssets(string assetsPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(assetsPath));
        var root = document.RootElement;
        var packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = root.GetProperty("libraries");
        var target = root.GetProperty("targets").EnumerateObject().First().Value;
        var compile = new List<string>();
        var runtime = new List<string>();
        foreach (var entry in target.EnumerateObject())
        {
            if (entry.Value.TryGetProperty("type", out var type) && type.GetString() != "package")
            {
                continue;
            }

            var libraryPath = libraries.GetProperty(entry.Name).GetProperty("path").GetString()!;
            Collect(entry.Value, "compile", Path.Combine(packageFolder, libraryPath), compile);
            Collect(entry.Value, "runtime", Path.Combine(packageFolder, libraryPath), runtime);
        }

        return new RestoredPackages(compile, runtime);
    }

    private static void Collect(JsonElement library, string kind, string folder, List<string> into)
    {
        if (!library.TryGetProperty(kind, out var assets))
        {
            return;
        }

        foreach (var asset in assets.EnumerateObject())
        {
            // "_._" marks "nothing for this framework".
            if (asset.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                into.Add(Path.Combine(folder, asset.Name.Replace('/', Path.DirectorySeparatorChar)));
            }
        }
    }
}
