namespace Weir.Compiler;

/// <summary>A <c>#:package Name@Version</c> directive.</summary>
/// <param name="Name">The package id.</param>
/// <param name="Version">The version (or range) as written.</param>
/// <param name="Line">The directive's line, from 1.</param>
/// <param name="Column">The column of its <c>#</c>, from 1.</param>
public sealed record PackageReference(string Name, string Version, int Line, int Column = 1)
{
    /// <summary>True for <c>#:package Weir@…</c>, which means the SDK that runs the flow.</summary>
    public bool IsWeirSdk => string.Equals(Name, "Weir", StringComparison.OrdinalIgnoreCase);
}
