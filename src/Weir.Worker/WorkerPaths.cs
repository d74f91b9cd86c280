namespace Weir.Worker;

/// <summary>Where a worker keeps run folders and caches, under <c>WEIR_HOME</c>.</summary>
public sealed record WorkerPaths(string WeirHome)
{
    /// <summary>One folder per run, removed when the run ends.</summary>
    public string Runs => Path.Combine(WeirHome, "runs");

    /// <summary>Caches that outlive runs: repository mirrors, object-store copies.</summary>
    public string Cache => Path.Combine(WeirHome, "cache");
}
