using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Server.Storage;

namespace Weir.Cli.Tests;

/// <summary>A real Weir server (SQLite in a temp folder, 127.0.0.1, a free port, no background services) for the commands that talk to one.</summary>
public sealed class ServerFixture : WeirServerFixture
{
    public IWeirStore Store => Server.Store;

    protected override TestServerOptions Options => new() { BackgroundServices = false };

    /// <summary>Runs <c>weir</c> against this server in <see cref="WeirServerFixture.Home"/>; <paramref name="input"/> goes to its standard input.</summary>
    public Task<ProcessResult> WeirAsync(string[] args, string? input = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Cli.With(environment ?? new Dictionary<string, string>()).RunAsync(Home, args, input);

    /// <summary>A deployment of flow <c>example</c> named <paramref name="name"/>, with an int parameter <c>limit</c> (default 5).</summary>
    public async Task<DeploymentDto> DeployAsync(string name) => (await Store.UpsertDeploymentAsync(new DeploymentRequest
    {
        FlowName = "example",
        Name = name,
        Entrypoint = "flows/example.cs:example",
        PullSteps = [new JsonObject { ["set_working_directory"] = new JsonObject { ["directory"] = "/tmp" } }],
        Structure = new FlowStructure("example", [new ParameterSchema("limit", "int", false, "5")], ["GetData", "PrintData"]),
        Parameters = new JsonObject(),
        WorkPool = "cli-tests",
    }, CancellationToken.None)).Deployment;
}
