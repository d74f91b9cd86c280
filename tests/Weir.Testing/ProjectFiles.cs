namespace Weir.Testing;

/// <summary>The files of a Weir project a test deploys: flow files under <c>flows/</c> and <c>weir.yaml</c>.</summary>
public static class ProjectFiles
{
    /// <summary>Writes <c>flows/FILE</c> in <paramref name="project"/> (making the folders); the file's path.</summary>
    public static async Task<string> WriteFlowAsync(string project, string file, string source)
    {
        var path = Path.Combine(project, "flows", file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, source).ConfigureAwait(false);
        return path;
    }

    /// <summary>Writes the project's <c>weir.yaml</c>.</summary>
    public static Task WriteWeirYamlAsync(string project, string yaml) => File.WriteAllTextAsync(Path.Combine(project, "weir.yaml"), yaml);
}
