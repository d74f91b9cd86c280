using System.Text.Json;

namespace Weir.Cli.Tests;

public sealed class InspectCommandTests
{
    [Fact]
    public async Task Inspect_Example_ShowsParametersTasksAndHash()
    {
        var weir = new WeirCli(TempFolder.New("weir-cli-tests-"));
        var (exit, stdout, stderr) = await weir.RunAsync(Repo.Root, "inspect", "examples/flows/my_flow.cs");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("examples/flows/my_flow.cs:example");
        stdout.ShouldContain("limit");
        stdout.ShouldContain("GetData → PrintData");

        var json = await weir.RunAsync(Repo.Root, "inspect", "examples/flows/my_flow.cs", "--json");
        json.ExitCode.ShouldBe(0, json.Stderr);
        var flow = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().Single();
        flow.GetProperty("name").GetString().ShouldBe("example");
        flow.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()).ShouldBe(["GetData", "PrintData"]);
        flow.GetProperty("parameters")[0].GetProperty("type").GetString().ShouldBe("int");
        flow.GetProperty("hash").GetString()!.Length.ShouldBe(64);
    }
}
