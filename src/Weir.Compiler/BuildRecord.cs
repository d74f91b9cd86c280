using Weir.Client;

namespace Weir.Compiler;

/// <summary>What the cache keeps beside a compiled flow: <c>build.json</c>.</summary>
internal sealed record BuildRecord(string SourcePath, IReadOnlyList<FlowStructure> Flows, IReadOnlyList<string> PackageAssemblies, DateTimeOffset Created);
