using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Server;
using Weir.Server.Storage;

namespace Weir.Cli.Tests;

/// <summary>A real Weir server (SQLite in a temp folder, 127.0.0.1, a free port) for the commands that talk to one.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public string Home { get; } = WeirProcess.TempDirectory();

    public WeirServer Server { get; private set; } = null!;

    public IWeirStore Store => Server.Store;

    public async Task InitializeAsync() =>
        Server = await WeirServer.StartAsync(new WeirServerOptions { Port = 0, WeirHome = Path.Combine(Home, "server"), ApiKey = null, WorkerApiKeys = [], BackgroundServices = false });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs <c>weir</c> against this server; <paramref name="input"/> goes to its standard input.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> WeirAsync(string[] args, string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["WEIR_API_URL"] = Server.Url.ToString().TrimEnd('/') };
        return WeirProcess.RunWithEnvironmentAsync(Home, Home, variables, input, args);
    }

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
