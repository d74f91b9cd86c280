using System.Text;
using Weir.Client;

namespace Weir.Compiler;

/// <summary>
/// Compares the structure a deployment recorded with the structure of the code a run is about to
/// execute. Task-body edits never show here. A parameter change a caller could trip over, or a
/// missing flow, is <see cref="StructureVerdict.Incompatible"/>: the run must fail before any task,
/// with the diff and the command to re-deploy. A change in the tasks called is
/// <see cref="StructureVerdict.Drift"/>: the run proceeds and records a warning.
/// </summary>
public sealed class StructureCheck
{
    private StructureCheck(StructureVerdict verdict, string? message)
    {
        Verdict = verdict;
        Message = message;
    }

    /// <summary>The outcome.</summary>
    public StructureVerdict Verdict { get; }

    /// <summary>For people: the diff and what to do; null when the structures match.</summary>
    public string? Message { get; }

    /// <summary>Compares. <paramref name="current"/> is null when the code no longer has the flow.</summary>
    /// <param name="recorded">What the deployment recorded.</param>
    /// <param name="current">What the code has now.</param>
    /// <param name="entrypoint">The deployment's entrypoint, for messages.</param>
    /// <param name="flowsInFile">The flows the file has now, for the missing-flow message.</param>
    /// <param name="redeployCommand">The exact command that re-deploys, e.g. <c>weir deploy nightly</c>.</param>
    public static StructureCheck Compare(FlowStructure recorded, FlowStructure? current, string entrypoint, IReadOnlyList<string> flowsInFile, string redeployCommand)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (current is null)
        {
            var path = entrypoint.Split(':')[0];
            return new StructureCheck(StructureVerdict.Incompatible,
                $"{path} no longer has the flow '{recorded.Name}' that this deployment runs"
                + (flowsInFile.Count == 0 ? " (it has no flows)." : $" (flows in it: {string.Join(", ", flowsInFile)}).")
                + $" Fix the entrypoint or the code, then re-deploy: {redeployCommand}");
        }

        var diff = new StringBuilder();
        var incompatible = false;
        var before = recorded.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var after = current.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var old in recorded.Parameters)
        {
            if (!after.TryGetValue(old.Name, out var now))
            {
                diff.AppendLine($"  - {Describe(old)}    (removed)");
                incompatible = true;
            }
            else if (old.Type != now.Type || (!old.Required && now.Required))
            {
                diff.AppendLine($"  - {Describe(old)}");
                diff.AppendLine($"  + {Describe(now)}");
                incompatible = true;
            }
            else if (old != now)
            {
                diff.AppendLine($"  - {Describe(old)}");
                diff.AppendLine($"  + {Describe(now)}    (compatible)");
            }
        }

        foreach (var added in current.Parameters.Where(p => !before.ContainsKey(p.Name)))
        {
            diff.AppendLine($"  + {Describe(added)}    ({(added.Required ? "new and required" : "new, has a default")})");
            incompatible |= added.Required;
        }

        if (incompatible)
        {
            return new StructureCheck(StructureVerdict.Incompatible,
                $"The parameters of flow '{recorded.Name}' ({entrypoint}) changed since it was deployed, so this run cannot start:\n{diff}Re-deploy to record the new parameters: {redeployCommand}");
        }

        if (!recorded.Tasks.SequenceEqual(current.Tasks, StringComparer.Ordinal))
        {
            return new StructureCheck(StructureVerdict.Drift,
                $"Structure drift: flow '{recorded.Name}' now calls {Tasks(current.Tasks)}; the deployment recorded {Tasks(recorded.Tasks)}. "
                + $"The run went ahead. Re-deploy to record the new structure: {redeployCommand}");
        }

        return diff.Length > 0
            ? new StructureCheck(StructureVerdict.Same, $"Parameter defaults of flow '{recorded.Name}' changed since it was deployed:\n{diff}")
            : new StructureCheck(StructureVerdict.Same, null);
    }

    private static string Describe(ParameterSchema p) => p.Required ? $"{p.Name}: {p.Type} (required)" : $"{p.Name}: {p.Type} = {p.Default}";

    private static string Tasks(IReadOnlyList<string> tasks) => tasks.Count == 0 ? "no tasks" : string.Join(" → ", tasks);
}
