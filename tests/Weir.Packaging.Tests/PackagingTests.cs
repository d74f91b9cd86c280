using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Weir.Packaging.Tests;

/// <summary>
/// The packages as people use them, from a local folder feed: what <c>./pack.sh</c> makes, a flow file built as a
/// .NET file-based program with <c>#:package Weir@VERSION</c>, the <c>weir</c> tool installed from the feed, and the
/// <c>dotnet new</c> templates. Slow (a Release pack of the solution's packable projects, restores, a tool install),
/// so all of it is this one class, sharing one pack.
/// </summary>
public sealed class PackagingTests(PackagesFixture packages, ITestOutputHelper output) : IClassFixture<PackagesFixture>
{
    private const string HelloFlow = """
        using Weir;

        public static class Hello
        {
            [Task]
            public static string Greet(string name) => $"hello {name}";

            [Flow("hello")]
            public static void Run(string name = "world") => Console.WriteLine(Greet(name));
        }
        """;

    [Fact]
    public void Pack_MakesTheSdkClientToolAndTemplates_WithVersionReadmeAndSymbols()
    {
        output.WriteLine($"pack: {packages.Pack.Elapsed.TotalSeconds:F0} s, tool install: {packages.ToolInstall.Elapsed.TotalSeconds:F0} s");
        packages.Version.ShouldStartWith(packages.VersionPrefix + "-");
        Directory.GetFiles(packages.Feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(
            new[] { "Weir", "Weir.Cli", "Weir.Client", "Weir.Templates" }.SelectMany(id => id == "Weir.Templates"
                ? [$"{id}.{packages.Version}.nupkg"]
                : new[] { $"{id}.{packages.Version}.nupkg", $"{id}.{packages.Version}.snupkg" }).Order(StringComparer.Ordinal),
            "the feed holds the SDK, the client, the tool and the templates, each code package with its symbols, and nothing else");

        foreach (var id in new[] { "Weir", "Weir.Client", "Weir.Cli", "Weir.Templates" })
        {
            using var nupkg = ZipFile.OpenRead(packages.Package(id));
            var metadata = Nuspec(nupkg);
            Value(metadata, "id").ShouldBe(id);
            Value(metadata, "version").ShouldBe(packages.Version);
            Value(metadata, "readme").ShouldBe("README.md");
            Value(metadata, "description").ShouldNotBeNullOrWhiteSpace();
            Text(nupkg, "README.md").ShouldContain(id == "Weir.Cli" ? "weir" : id);
        }

        foreach (var id in new[] { "Weir", "Weir.Client", "Weir.Cli" })
        {
            using var snupkg = ZipFile.OpenRead(packages.Package(id, ".snupkg"));
            snupkg.Entries.ShouldContain(e => e.FullName.EndsWith($"/{id}.pdb", StringComparison.Ordinal), $"{id}'s symbols");
        }

        using (var sdk = ZipFile.OpenRead(packages.Package("Weir")))
        {
            Names(sdk).ShouldContain("lib/net10.0/Weir.dll");
            Names(sdk).ShouldContain("lib/net10.0/Weir.xml");
            Names(sdk).ShouldContain("build/Weir.targets");
            Names(sdk).ShouldContain("build/WeirFlowFileEntryPoint.cs");
        }

        using (var client = ZipFile.OpenRead(packages.Package("Weir.Client")))
        {
            var dependency = Nuspec(client).Descendants().Single(e => e.Name.LocalName == "dependency");
            dependency.Attribute("id")!.Value.ShouldBe("Weir");
            dependency.Attribute("version")!.Value.ShouldBe(packages.Version);
        }

        using (var tool = ZipFile.OpenRead(packages.Package("Weir.Cli")))
        {
            Nuspec(tool).Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")!.Value.ShouldBe("DotnetTool");
            Names(tool).ShouldContain("tools/net10.0/any/Weir.Cli.dll");
            Names(tool).ShouldContain("tools/net10.0/any/Weir.Runner.dll");
            Names(tool).ShouldContain("tools/net10.0/any/Weir.Runner.runtimeconfig.json");
            Names(tool).ShouldNotContain("tools/net10.0/any/Weir.Runner", "the runner's apphost is native to the packing machine; the tool is for any");
            Names(tool).ShouldContain("tools/net10.0/any/Weir.Server.dll");
        }

        using (var templates = ZipFile.OpenRead(packages.Package("Weir.Templates")))
        {
            Nuspec(templates).Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")!.Value.ShouldBe("Template");
            foreach (var template in new[] { "weir-flow", "weir-project" })
            {
                var config = JsonDocument.Parse(Text(templates, $"content/{template}/.template.config/template.json")).RootElement;
                config.GetProperty("shortName").GetString().ShouldBe(template);
                config.GetProperty("symbols").GetProperty("weirVersion").GetProperty("defaultValue").GetString().ShouldBe(packages.Version);
            }
        }
    }

    [Fact]
    public async Task FlowFile_WithWeirPackage_BuildsAsADotnetFileBasedProgram()
    {
        var folder = Folder("file-based");
        packages.WriteNuGetConfig(folder);
        // No 'using Weir;': the package adds it in a file-based build, as Weir's own compiler does.
        File.WriteAllText(Path.Combine(folder, "hello.cs"), $"#:package Weir@{packages.Version}\n" + HelloFlow.Replace("using Weir;\n", "", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(folder, "broken.cs"), $"#:package Weir@{packages.Version}\n\npublic static class Broken\n{{\n    [Flow(\"broken\")]\n    public static void Run() => Missing();\n}}\n");

        var build = await Logged(packages.DotnetAsync(folder, "build", "hello.cs"));
        build.ExitCode.ShouldBe(0, build.ToString());
        build.Stdout.ShouldNotContain("warning", Case.Insensitive, build.ToString());

        var run = await Logged(packages.DotnetAsync(folder, "run", "hello.cs"));
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("hello.cs is a Weir flow file: run a flow in it with 'weir run hello.cs:FLOW'", Case.Sensitive, run.ToString());

        // What an editor shows: the compiler's diagnostics, at the file's own line and column.
        var broken = await Logged(packages.DotnetAsync(folder, "build", "broken.cs"));
        broken.ExitCode.ShouldNotBe(0, broken.ToString());
        broken.Stdout.ShouldContain("broken.cs(6,33): error CS0103: The name 'Missing' does not exist in the current context", Case.Sensitive, broken.ToString());
    }

    [Fact]
    public async Task Tool_FromTheFeed_ShowsHelpRunsAFlowAndCarriesTheRunner()
    {
        var folder = Folder("tool");
        var help = await Logged(packages.WeirAsync(folder, "--help"));
        help.ExitCode.ShouldBe(0, help.ToString());
        help.Stdout.ShouldContain("run");
        help.Stdout.ShouldContain("profile");

        File.WriteAllText(Path.Combine(folder, "hello.cs"), $"#:package Weir@{packages.Version}\n" + HelloFlow);
        var run = await Logged(packages.WeirAsync(folder, "run", "hello.cs:hello", "--param", "name=feed"));
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("hello feed", Case.Sensitive, run.ToString());
        run.Stdout.ShouldContain("Completed", Case.Sensitive, run.ToString());

        // The flow process a worker starts: beside weir in the installed tool, without a native apphost, and it starts
        // (it warms up, then ends when its standard input closes with no run).
        var runner = Directory.GetFiles(Path.Combine(packages.ToolDirectory, ".store"), "Weir.Runner.dll", SearchOption.AllDirectories).ShouldHaveSingleItem();
        var tools = Path.GetDirectoryName(runner)!;
        File.Exists(Path.Combine(tools, "Weir.Cli.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(tools, "Weir.Runner")).ShouldBeFalse();
        var started = await Logged(packages.DotnetAsync(folder, runner));
        started.ExitCode.ShouldBe(0, started.ToString());
    }

    [Fact]
    public async Task Templates_FromThePack_MakeAFlowFileAndAProjectThatWeirRunsAndInspects()
    {
        var hive = Folder("template-hive");
        var install = await Logged(packages.DotnetAsync(packages.Root, "new", "install", packages.Package("Weir.Templates"), "--debug:custom-hive", hive));
        install.ExitCode.ShouldBe(0, install.ToString());

        var folder = Folder("from-templates");
        var flow = await Logged(packages.DotnetAsync(folder, "new", "weir-flow", "-n", "etl", "--debug:custom-hive", hive));
        flow.ExitCode.ShouldBe(0, flow.ToString());
        var text = File.ReadAllText(Path.Combine(folder, "etl.cs"));
        text.ShouldStartWith($"#:package Weir@{packages.Version}\n");
        text.ShouldContain("[Flow(\"etl\")]");

        var run = await Logged(packages.WeirAsync(folder, "run", "etl.cs:etl", "--param", "limit=2"));
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("1, 2", Case.Sensitive, run.ToString());
        var inspect = await Logged(packages.WeirAsync(folder, "inspect", "etl.cs", "--json"));
        inspect.ExitCode.ShouldBe(0, inspect.ToString());
        var structure = JsonDocument.Parse(inspect.Stdout).RootElement.EnumerateArray().ShouldHaveSingleItem();
        structure.GetProperty("name").GetString().ShouldBe("etl");
        structure.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()).ShouldBe(["GetData", "PrintData"]);

        var project = await Logged(packages.DotnetAsync(folder, "new", "weir-project", "-n", "nightly", "--debug:custom-hive", hive));
        project.ExitCode.ShouldBe(0, project.ToString());
        var projectFolder = Path.Combine(folder, "nightly");
        File.ReadAllText(Path.Combine(projectFolder, "weir.yaml")).ShouldContain("name: nightly\n");
        File.ReadAllText(Path.Combine(projectFolder, "flows", "my_flow.cs")).ShouldStartWith($"#:package Weir@{packages.Version}\n");
        var projectRun = await Logged(packages.WeirAsync(projectFolder, "run", "flows/my_flow.cs:example"));
        projectRun.ExitCode.ShouldBe(0, projectRun.ToString());
        projectRun.Stdout.ShouldContain("1, 2, 3, 4, 5", Case.Sensitive, projectRun.ToString());
        var projectInspect = await Logged(packages.WeirAsync(projectFolder, "inspect", "flows/my_flow.cs"));
        projectInspect.ExitCode.ShouldBe(0, projectInspect.ToString());
        projectInspect.Stdout.ShouldContain("flows/my_flow.cs:example", Case.Sensitive, projectInspect.ToString());
    }

    private static XElement Nuspec(ZipArchive package) =>
        XDocument.Parse(Text(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).FullName))
            .Root!.Elements().Single(e => e.Name.LocalName == "metadata");

    private static string? Value(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    private static List<string> Names(ZipArchive package) => [.. package.Entries.Select(e => e.FullName)];

    private static string Text(ZipArchive package, string name)
    {
        using var reader = new StreamReader(package.GetEntry(name)?.Open() ?? throw new FileNotFoundException($"{name} is not in the package."));
        return reader.ReadToEnd();
    }

    private string Folder(string name)
    {
        var path = Path.Combine(packages.Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private async Task<ProcessResult> Logged(Task<ProcessResult> running)
    {
        var result = await running;
        output.WriteLine($"{result.Command}: exit {result.ExitCode}, {result.Elapsed.TotalSeconds:F1} s");
        return result;
    }
}
