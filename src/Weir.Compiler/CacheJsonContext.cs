using System.Text.Json;
using System.Text.Json.Serialization;
using Weir.Client;

namespace Weir.Compiler;

/// <summary>
/// Source-generated JSON for the cache's own files: a cache hit reads <c>build.json</c> without the
/// reflection-based serializer's start-up cost (tens of milliseconds in a fresh process).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BuildRecord))]
[JsonSerializable(typeof(RestoredPackages))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
