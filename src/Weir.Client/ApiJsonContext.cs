using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Client;

/// <summary>
/// Serialization metadata for the wire contract, generated at build time, so that a fresh process (a flow process
/// reporting its first batch, a worker's first claim) does not build it by reflection: that was most of a flow
/// process's start-up. <see cref="ApiJson.Options"/> uses it, with reflection only for types not listed here.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EventBatch))]
[JsonSerializable(typeof(EventBatchResult))]
[JsonSerializable(typeof(ClaimRequest))]
[JsonSerializable(typeof(List<ClaimedRun>))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(StateRequest))]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(ProblemDto))]
[JsonSerializable(typeof(FlowRunDto))]
[JsonSerializable(typeof(List<FlowRunDto>))]
[JsonSerializable(typeof(DeploymentRequest))]
[JsonSerializable(typeof(DeploymentResult))]
[JsonSerializable(typeof(DeploymentDto))]
[JsonSerializable(typeof(List<DeploymentDto>))]
[JsonSerializable(typeof(List<TaskRunDto>))]
[JsonSerializable(typeof(List<LogDto>))]
[JsonSerializable(typeof(List<RunStateEvent>))]
[JsonSerializable(typeof(BlockRequest))]
[JsonSerializable(typeof(BlockDto))]
[JsonSerializable(typeof(List<BlockDto>))]
[JsonSerializable(typeof(List<BlockTypeDto>))]
[JsonSerializable(typeof(VariableRequest))]
[JsonSerializable(typeof(VariableDto))]
[JsonSerializable(typeof(List<VariableDto>))]
[JsonSerializable(typeof(WorkPoolRequest))]
[JsonSerializable(typeof(WorkPoolDto))]
[JsonSerializable(typeof(List<WorkPoolDto>))]
[JsonSerializable(typeof(List<FlowDto>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
