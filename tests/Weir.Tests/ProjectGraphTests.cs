using System.Xml.Linq;

namespace Weir.Tests;

/// <summary>
/// The arrows between the projects (docs/architecture.md draws them): the SDK depends on nothing, the wire contract
/// on the SDK, the libraries on those, and only the programs (the CLI, the runner) on the worker; the server never
/// references the compiler or the worker, and the worker never the server or the CLI.
/// </summary>
public sealed class ProjectGraphTests
{
    private static readonly Dictionary<string, string[]> s_expected = new()
    {
        ["Weir"] = [],
        ["Weir.Client"] = ["Weir"],
        ["Weir.Compiler"] = ["Weir", "Weir.Client"],
        ["Weir.Storage"] = ["Weir", "Weir.Client"],
        ["Weir.Deploy"] = ["Weir", "Weir.Client", "Weir.Compiler", "Weir.Storage"],
        ["Weir.Server"] = ["Weir", "Weir.Client"],
        ["Weir.Worker"] = ["Weir", "Weir.Client", "Weir.Compiler", "Weir.Storage"],
        ["Weir.Worker.Kubernetes"] = ["Weir.Worker"],
        ["Weir.Runner"] = ["Weir.Worker"],
        ["Weir.Cli"] = ["Weir", "Weir.Client", "Weir.Compiler", "Weir.Storage", "Weir.Deploy", "Weir.Worker", "Weir.Worker.Kubernetes", "Weir.Runner", "Weir.Server"],
    };

    [Fact]
    public void Projects_ReferenceExactlyTheProjectsTheArchitectureAllows()
    {
        var actual = Projects();

        actual.Keys.Order(StringComparer.Ordinal).ShouldBe(s_expected.Keys.Order(StringComparer.Ordinal), "a project was added or removed: draw its arrows in docs/architecture.md and here");
        foreach (var (project, references) in actual)
        {
            references.Order(StringComparer.Ordinal).ShouldBe(s_expected[project].Order(StringComparer.Ordinal), $"{project}'s project references");
        }
    }

    [Fact]
    public void Projects_HaveNoCycle_AndTheServerNeverReachesTheCompilerOrTheWorker()
    {
        var graph = Projects();
        foreach (var project in graph.Keys)
        {
            Reachable(graph, project).ShouldNotContain(project, $"{project} depends on itself through its references");
        }

        Reachable(graph, "Weir.Server").ShouldNotContain("Weir.Compiler");
        Reachable(graph, "Weir.Server").ShouldNotContain("Weir.Worker");
        Reachable(graph, "Weir.Worker").ShouldNotContain("Weir.Server");
        Reachable(graph, "Weir.Worker").ShouldNotContain("Weir.Cli");
        Reachable(graph, "Weir.Runner").ShouldNotContain("Weir.Worker.Kubernetes", "the runner every flow image carries stays free of KubernetesClient");
        Reachable(graph, "Weir").ShouldBeEmpty("the SDK flow authors reference depends on no other Weir project");
    }

    private static HashSet<string> Reachable(Dictionary<string, string[]> graph, string from)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Stack<string>(graph[from]);
        while (next.TryPop(out var project))
        {
            if (seen.Add(project))
            {
                foreach (var reference in graph[project])
                {
                    next.Push(reference);
                }
            }
        }

        return seen;
    }

    private static Dictionary<string, string[]> Projects()
    {
        var src = Path.Combine(Root(), "src");
        return Directory.EnumerateFiles(src, "*.csproj", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetFileNameWithoutExtension(file),
            file => XDocument.Load(file).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToArray(),
            StringComparer.Ordinal);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weir.slnx not found above " + AppContext.BaseDirectory);
    }
}
