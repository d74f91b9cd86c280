using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Worker.Hosting;

/// <summary>Build-time serialization metadata for what a worker hands its flow processes, so a fresh one reads its assignment without reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FlowRunAssignment))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;
