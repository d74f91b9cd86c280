using Weir.Compiler;

namespace Weir.Worker;

/// <summary>A run ready to execute: its code is pulled and compiled, and its structure checked.</summary>
public sealed record PreparedRun
{
    /// <summary>The run folder (removed after the run).</summary>
    public required string RunFolder { get; init; }

    /// <summary>Where the pull steps left the code; the flow runs from here.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The flow file, relative to <see cref="WorkingDirectory"/>.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The flow's name.</summary>
    public required string FlowName { get; init; }

    /// <summary>The build (from the cache or fresh).</summary>
    public required CompiledFlowFile Build { get; init; }

    /// <summary>The structure comparison with the deployment.</summary>
    public required StructureCheck Structure { get; init; }

    /// <summary>The stored build the run executes, when the deployment has one.</summary>
    public string? BuildId { get; init; }

    /// <summary>The git commit the code came from, when a git step pulled it.</summary>
    public string? Commit { get; init; }

    /// <summary>The manifest hash of an object-store pull, when one pulled it.</summary>
    public string? ManifestHash { get; init; }

    /// <summary>A hash of the flow's source as compiled (the build's cache key).</summary>
    public string ContentHash => Build.CacheKey;
}
