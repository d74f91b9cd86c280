using Weir.Client;

namespace Weir.FaultTests;

/// <summary>What the ledger and the server say about a set of runs: lost (not Completed, or never in the ledger) and doubled (in the ledger more than once).</summary>
public sealed record LedgerVerdict(int Runs, IReadOnlyList<Guid> NotCompleted, IReadOnlyList<Guid> NeverExecuted, IReadOnlyDictionary<Guid, int> Doubled, IReadOnlyList<Guid> Strangers)
{
    public static LedgerVerdict Of(IReadOnlyCollection<Guid> ids, IReadOnlyList<FlowRunDto> runs, IReadOnlyDictionary<Guid, int> ledger)
    {
        var completed = runs.Where(r => r.State == StateType.Completed).Select(r => r.Id).ToHashSet();
        return new LedgerVerdict(
            ids.Count,
            [.. ids.Where(id => !completed.Contains(id))],
            [.. ids.Where(id => !ledger.ContainsKey(id))],
            ledger.Where(p => p.Value > 1).ToDictionary(),
            [.. ledger.Keys.Where(id => !ids.Contains(id))]);
    }

    public int Lost => NotCompleted.Union(NeverExecuted).Count();

    /// <summary>Fails with the first culprits named unless every run Completed and executed exactly once.</summary>
    public void ShouldBeClean(string context)
    {
        var problems = new List<string>();
        if (NotCompleted.Count > 0)
        {
            problems.Add($"{NotCompleted.Count} run(s) not Completed (e.g. {string.Join(", ", NotCompleted.Take(3))})");
        }

        if (NeverExecuted.Count > 0)
        {
            problems.Add($"{NeverExecuted.Count} run(s) never executed (e.g. {string.Join(", ", NeverExecuted.Take(3))})");
        }

        if (Doubled.Count > 0)
        {
            problems.Add($"{Doubled.Count} run(s) executed more than once (e.g. {string.Join(", ", Doubled.Take(3).Select(p => $"{p.Key} ×{p.Value}"))})");
        }

        if (Strangers.Count > 0)
        {
            problems.Add($"{Strangers.Count} ledger entries for runs nobody created");
        }

        if (problems.Count > 0)
        {
            throw new ShouldAssertException($"Of {Runs} runs: {string.Join("; ", problems)}.\n{context}");
        }
    }
}
