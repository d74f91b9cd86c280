using System.Globalization;
using System.Text.Json.Nodes;

namespace Weir.Worker.Kubernetes.Tests;

/// <summary>
/// API responses as a Kubernetes 1.3x API server sends them (trimmed to the fields the worker reads), for the replay server:
/// pods in each state the worker maps, watch event lines, a 410 Gone status, Job objects and lists.
/// </summary>
internal static class Recorded
{
    public const string Namespace = "flows";

    public static string JobName(Guid run, int attempt = 1) => $"weir-{run:N}-{attempt}";

    public static string PodName(Guid run) => JobName(run) + "-x7k2p";

    public static string PodsPath => $"/api/v1/namespaces/{Namespace}/pods";

    public static string JobsPath => $"/apis/batch/v1/namespaces/{Namespace}/jobs";

    public static string SecretsPath => $"/api/v1/namespaces/{Namespace}/secrets";

    public static string LogPath(Guid run) => $"{PodsPath}/{PodName(run)}/log";

    public static string PodList(string resourceVersion, params string[] pods) => new JsonObject
    {
        ["kind"] = "PodList",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        ["items"] = new JsonArray([.. pods.Select(p => JsonNode.Parse(p))]),
    }.ToJsonString();

    public static string Event(string type, string pod) => new JsonObject { ["type"] = type, ["object"] = JsonNode.Parse(pod) }.ToJsonString();

    public static string Bookmark(string resourceVersion) =>
        Event("BOOKMARK", new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion } }.ToJsonString());

    /// <summary>What an API server sends in a watch when the resource version asked for is older than it keeps.</summary>
    public const string GoneEvent =
        """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 100 (4242)","reason":"Expired","code":410}}""";

    public const string GoneStatus =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 100 (4242)","reason":"Gone","code":410}""";

    public static string Pod(Guid run, string resourceVersion, string phase, string? containerState = null, string? podStatusExtra = null, string? memoryLimit = null)
    {
        var container = new JsonObject { ["name"] = "flow", ["image"] = "registry.example.com/flows:v1" };
        if (memoryLimit is not null)
        {
            container["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = memoryLimit } };
        }

        var status = podStatusExtra is null ? new JsonObject() : (JsonObject)JsonNode.Parse(podStatusExtra)!;
        status["phase"] = phase;
        if (containerState is not null)
        {
            status["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "flow", ["image"] = "registry.example.com/flows:v1", ["ready"] = false, ["restartCount"] = 0, ["state"] = JsonNode.Parse(containerState),
            });
        }

        return new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = PodName(run), ["namespace"] = Namespace, ["resourceVersion"] = resourceVersion,
                ["labels"] = new JsonObject { ["job-name"] = JobName(run), ["weir.flow-run-id"] = run.ToString() },
            },
            ["spec"] = new JsonObject { ["nodeName"] = "node-3", ["restartPolicy"] = "Never", ["containers"] = new JsonArray(container) },
            ["status"] = status,
        }.ToJsonString();
    }

    public static string Pending(Guid run, string rv) => Pod(run, rv, "Pending", """{"waiting":{"reason":"ContainerCreating"}}""");

    public static string Unschedulable(Guid run, string rv) => Pod(run, rv, "Pending", podStatusExtra:
        """{"conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."}]}""");

    public static string Running(Guid run, string rv) => Pod(run, rv, "Running", """{"running":{"startedAt":"2025-06-01T10:00:00Z"}}""");

    public static string Succeeded(Guid run, string rv) => Pod(run, rv, "Succeeded", """{"terminated":{"exitCode":0,"reason":"Completed","startedAt":"2025-06-01T10:00:00Z","finishedAt":"2025-06-01T10:00:05Z"}}""");

    public static string OomKilled(Guid run, string rv) => Pod(run, rv, "Failed",
        """{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2025-06-01T10:00:00Z","finishedAt":"2025-06-01T10:00:09Z"}}""", memoryLimit: "256Mi");

    public static string Evicted(Guid run, string rv) => Pod(run, rv, "Failed", """{"terminated":{"exitCode":137,"reason":"Error"}}""",
        """{"reason":"Evicted","message":"The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 512Mi. Container flow was using 3Gi, request is 0, has larger consumption of ephemeral-storage. "}""");

    public static string ImagePullBackOff(Guid run, string rv) => Pod(run, rv, "Pending",
        """{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \"registry.example.com/flows:v1\": ErrImagePull: failed to pull and unpack image: not found"}}""");

    public static string Job(Guid run, string worker = "worker-1", int attempt = 1, bool finished = false) => new JsonObject
    {
        ["kind"] = "Job",
        ["apiVersion"] = "batch/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = JobName(run, attempt), ["namespace"] = Namespace, ["uid"] = $"5f0c7d3e-{attempt}", ["resourceVersion"] = "90", ["creationTimestamp"] = "2025-06-01T09:59:58Z",
            ["labels"] = new JsonObject { ["weir.flow-run-id"] = run.ToString(), ["weir.pool"] = "k8s", ["weir.worker"] = worker, ["weir.attempt"] = attempt.ToString(CultureInfo.InvariantCulture) },
            ["annotations"] = new JsonObject { ["weir.pending-timeout-seconds"] = "300" },
        },
        ["spec"] = JsonNode.Parse("""{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"flow","image":"registry.example.com/flows:v1"}]}}}"""),
        ["status"] = JsonNode.Parse(finished ? """{"conditions":[{"type":"Complete","status":"True"}],"succeeded":1}""" : """{"active":1}"""),
    }.ToJsonString();

    public static string JobList(params string[] jobs) => new JsonObject
    {
        ["kind"] = "JobList", ["apiVersion"] = "batch/v1", ["metadata"] = new JsonObject { ["resourceVersion"] = "95" }, ["items"] = new JsonArray([.. jobs.Select(j => JsonNode.Parse(j))]),
    }.ToJsonString();

    public static string Created(string kind) => new JsonObject { ["kind"] = kind, ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["name"] = "x", ["uid"] = "1" } }.ToJsonString();

    public const string AlreadyExists =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"jobs.batch \"weir-x-1\" already exists","reason":"AlreadyExists","details":{"name":"weir-x-1","group":"batch","kind":"jobs"},"code":409}""";

    public const string Deleted = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"kind":"jobs"}}""";
}
