using System.Text.Json.Nodes;
using Weir.Client;

namespace Weir.Worker.Kubernetes.Tests;

internal static class TestRuns
{
    /// <summary>A fixed run id, so golden files do not change from run to run.</summary>
    public static readonly Guid Id = Guid.Parse("0197a3c2-5e1f-7b2a-9c4d-4f3c9a1e7b20");

    public static ClaimedRun Claimed(JsonObject? jobVariables = null, Guid? id = null, int attempt = 1) => new()
    {
        FlowRunId = id ?? Id,
        FlowName = "hello",
        DeploymentName = "hello/k8s",
        Entrypoint = "flows/hello.cs:hello",
        JobVariables = jobVariables ?? new JsonObject { ["image"] = "registry.example.com/flows:v1" },
        Attempt = attempt,
        RunToken = Token,
    };

    /// <summary>The run token a claim hands the worker; the worker's own key is <see cref="FakeWorkerServer"/>'s key-123, which no pod may see.</summary>
    public const string Token = "wrt1_run-token-of-the-test-run";

    public static JobContext Context { get; } = new("k8s", "worker-1", "flows", null, "http://weir.example:4200", RunCredentials.For(Claimed()));

    public static JsonObject With(string name, JsonNode value) => new() { ["image"] = "registry.example.com/flows:v1", [name] = value };
}
