namespace Weir.Worker;

/// <summary>Where a worker keeps run folders and caches, under <c>WEIR_HOME</c>.</summary>
public sealed record WorkerPaths(string WeirHome)
{
    /// <summary>One folder per run, removed when the run ends.</summary>
    public string Runs => Path.Combine(WeirHome, "runs");

    /// <summary>The in-process pool's journals of run ends (<see cref="RunEndJournal"/>), one per worker process.</summary>
    public string Journals => Path.Combine(WeirHome, "journal");

    /// <summary>Caches that outlive runs: repository mirrors, object-store copies.</summary>
    public string Cache => Path.Combine(WeirHome, "cache");
}
