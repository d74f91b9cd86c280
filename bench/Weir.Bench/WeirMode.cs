namespace Weir.Bench;

/// <summary>
/// One way a Weir worker runs a deployment's runs: its pool type and <c>weir worker start</c> options, and
/// where the code comes from. <see cref="Key"/> names both the deployment and its work pool.
/// </summary>
internal sealed record WeirMode(string Key, string Label, string PoolType, IReadOnlyList<string> WorkerOptions, bool GitStored = false)
{
    /// <summary>The <c>--runs-per-process</c> of <see cref="Reused"/>.</summary>
    public const int ReusedRuns = 100;

    public static WeirMode InProcess { get; } = new("in-process", "in-process (`--type in-process`)", WorkPoolTypes.InProcess, ["--type", WorkPoolTypes.InProcess]);

    public static WeirMode Standby { get; } = new("process", "process: a process per run, one started ahead (the defaults, `--standby 1 --runs-per-process 1`)", WorkPoolTypes.Process, ["--standby", "1", "--runs-per-process", "1"]);

    public static WeirMode Cold { get; } = new("process-cold", "process: a process per run, started on claim (`--standby 0`)", WorkPoolTypes.Process, ["--standby", "0"]);

    public static WeirMode Reused { get; } = new("process-reused", $"process: `--runs-per-process {ReusedRuns}` (one standby)", WorkPoolTypes.Process, ["--standby", "1", "--runs-per-process", $"{ReusedRuns}"]);

    public static WeirMode GitInProcess { get; } = new("git-in-process", "in-process, git-stored code (a `git_clone` pull step)", WorkPoolTypes.InProcess, ["--type", WorkPoolTypes.InProcess], GitStored: true);

    /// <summary><c>flow/deployment</c>, as the runs list filters by it.</summary>
    public string Deployment => "trivial/" + Key;
}
