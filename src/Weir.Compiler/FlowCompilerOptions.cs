namespace Weir.Compiler;

/// <summary>Options for <see cref="FlowCompiler"/>.</summary>
public sealed class FlowCompilerOptions
{
    /// <summary>Weir's home folder; builds are cached under <c>{WeirHome}/cache/builds</c>. <value>Defaults to <c>WEIR_HOME</c>, else <c>~/.weir</c>.</value></summary>
    public string WeirHome { get; init; } = DefaultWeirHome();

    /// <summary>Receives progress lines for slow steps (package restore, first compile). <value>Defaults to none.</value></summary>
    public Action<string>? Progress { get; init; }

    /// <summary>The clock of the build records' times. <value>Defaults to <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Build with optimizations. Part of the cache key. <value>Defaults to true.</value></summary>
    public bool Optimize { get; init; } = true;

    /// <summary>The <c>WEIR_HOME</c> folder, else <c>~/.weir</c>.</summary>
    public static string DefaultWeirHome() => Client.WeirHome.Default();
}
