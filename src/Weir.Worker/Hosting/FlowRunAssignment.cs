using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Compiler;

namespace Weir.Worker.Hosting;

/// <summary>
/// Everything a flow process needs to run one flow run that its worker prepared: the build to load (already
/// compiled or taken from the cache by the worker, so the process does no look-up), the flow, the bound
/// parameters' JSON and the run's settings. The worker hands it to the process as one JSON line on its
/// standard input; nothing travels through the command line.
/// </summary>
public sealed record FlowRunAssignment
{
    /// <summary>The flow run's id.</summary>
    public required Guid FlowRunId { get; init; }

    /// <summary>The flow's name in the build.</summary>
    public required string FlowName { get; init; }

    /// <summary>Where the pull steps left the code: the run's working folder.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The flow file as compiled, for messages.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The compiled flow assembly.</summary>
    public required string AssemblyPath { get; init; }

    /// <summary>Runtime assemblies of the flow's <c>#:package</c> references.</summary>
    public IReadOnlyList<string> PackageAssemblyPaths { get; init; } = [];

    /// <summary>The build's cache key (the hash of the source as compiled).</summary>
    public string CacheKey { get; init; } = string.Empty;

    /// <summary>The run's parameters, as JSON.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>Flow-level retries the run may use.</summary>
    public int Retries { get; init; }

    /// <summary>Seconds between flow-level retries.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>
    /// The run's token (<see cref="Client.ClaimedRun.RunToken"/>): the flow process reports the run, heart-beats it and reads its
    /// secrets with it, and with nothing else. It comes with the assignment, on standard input, because the process was
    /// started before the run (and may run several): its environment holds no credential at all.
    /// </summary>
    public string? RunToken { get; init; }

    /// <summary>The deployment's <c>env</c> job variable: set in the flow process for this run, and taken away after it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>What the worker reports about the run's start (its preparation's lines, the code it got), sent ahead of the run's own events.</summary>
    public Client.EventBatch? Start { get; init; }

    /// <summary>The assignment for a prepared run.</summary>
    public static FlowRunAssignment For(Guid flowRunId, PreparedRun prepared, JsonObject parameters, int retries, double retryDelaySeconds)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return new FlowRunAssignment
        {
            FlowRunId = flowRunId,
            FlowName = prepared.FlowName,
            WorkingDirectory = prepared.WorkingDirectory,
            SourcePath = prepared.SourcePath,
            AssemblyPath = prepared.Build.AssemblyPath,
            PackageAssemblyPaths = prepared.Build.PackageAssemblyPaths,
            CacheKey = prepared.Build.CacheKey,
            Parameters = parameters,
            Retries = retries,
            RetryDelaySeconds = retryDelaySeconds,
        };
    }

    /// <summary>The one-line JSON form handed to a flow process.</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(this, HostingJsonContext.Default.FlowRunAssignment);

    /// <summary>Reads the one-line JSON form; a line that is not one is an <see cref="InvalidDataException"/>.</summary>
    public static FlowRunAssignment FromJsonLine(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, HostingJsonContext.Default.FlowRunAssignment) ?? throw new InvalidDataException("The flow process was handed an empty assignment.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The flow process was handed something other than a flow run assignment ({ex.Message}).", ex);
        }
    }

    /// <summary>The build, as the compiler's cache holds it (no look-up: the worker already did it).</summary>
    internal CompiledFlowFile ToBuild() => new(SourcePath, CacheKey, AssemblyPath, PackageAssemblyPaths, [], CacheHit: true, TimeSpan.Zero);
}
