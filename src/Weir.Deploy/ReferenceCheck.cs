using System.Text.RegularExpressions;
using Weir.Client;
using Weir.Storage.Config;
using Weir.Storage.Project;
using Weir.Storage.Steps;

namespace Weir.Deploy;

/// <summary>
/// Before anything is built or pushed, checks that every <c>{{ weir.blocks.TYPE.NAME }}</c> and
/// <c>{{ weir.variables.NAME }}</c> the deployments' steps, job variables and parameters refer to exists on
/// the server, so that a missing one fails the deploy, naming where it stands and the command that creates
/// it, instead of every run on a worker later. Secret values are never read (blocks are asked for masked).
/// </summary>
internal sealed partial class ReferenceCheck(WeirClient client, string serverUrl)
{
    private readonly Dictionary<string, bool> _known = new(StringComparer.Ordinal);

    /// <summary>Throws a <see cref="DeployException"/> listing every missing reference with its place and the command that creates it.</summary>
    public async Task VerifyAsync(WeirProject project, IReadOnlyList<DeploymentDefinition> deployments, CancellationToken cancellationToken)
    {
        var places = new List<(string Reference, SourceLocation Location, string Where)>();
        var steps = new List<StepDefinition>();
        foreach (var deployment in deployments)
        {
            steps.AddRange(deployment.Build ?? project.Build);
            steps.AddRange(deployment.Push ?? project.Push);
            steps.AddRange(deployment.Pull ?? project.Pull);
            Collect(deployment.JobVariables, $"the job variables of deployment '{deployment.Name}'", places);
            Collect(deployment.Parameters, $"the parameters of deployment '{deployment.Name}'", places);
            foreach (var block in deployment.Blocks.Select(BlockReference.Parse).OfType<BlockReference>())
            {
                places.Add(($"weir.blocks.{block.Type}.{block.Name}", deployment.Location, $"the blocks of deployment '{deployment.Name}'"));
            }
        }

        foreach (var step in steps.Distinct())
        {
            Collect(step.Arguments, step.Title, places);
        }

        var missing = await FindAsync(places, cancellationToken).ConfigureAwait(false);

        if (missing.Count == 1)
        {
            throw new DeployException(missing[0]);
        }

        if (missing.Count > 1)
        {
            throw new DeployException($"{missing.Count} references name blocks or variables the server at {serverUrl} does not have; create them, then deploy again:\n  "
                + string.Join("\n  ", missing));
        }
    }

    /// <summary>One line per reference in <paramref name="steps"/> that the server does not have (for <c>weir init</c>, which only warns).</summary>
    public Task<List<string>> MissingInAsync(IEnumerable<StepDefinition> steps, CancellationToken cancellationToken)
    {
        var places = new List<(string Reference, SourceLocation Location, string Where)>();
        foreach (var step in steps)
        {
            Collect(step.Arguments, step.Title, places);
        }

        return FindAsync(places, cancellationToken);
    }

    private async Task<List<string>> FindAsync(List<(string Reference, SourceLocation Location, string Where)> places, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var (reference, location, where) in places.DistinctBy(p => (p.Reference, p.Location, p.Where)))
        {
            if (await MissingAsync(reference, cancellationToken).ConfigureAwait(false) is { } what)
            {
                missing.Add($"{location} ({where}) refers to {what}");
            }
        }

        return missing;
    }

    /// <summary>What is missing, with the command that creates it, or null when it exists.</summary>
    private async Task<string?> MissingAsync(string reference, CancellationToken cancellationToken)
    {
        var parts = reference.Split('.');
        if (parts is ["weir", "variables", var name, ..])
        {
            return await ExistsAsync("variable " + name, async () => await client.GetVariableAsync(name, cancellationToken).ConfigureAwait(false) is not null).ConfigureAwait(false)
                ? null
                : $"the variable '{name}', which the server at {serverUrl} does not have; create it with: weir variable set {name} VALUE";
        }

        if (parts is ["weir", "blocks", var type, var block, ..])
        {
            var create = type == "secret" ? $"weir secret set {block}" : $"weir block create {type} {block}";
            return await ExistsAsync($"block {type}/{block}", async () => await client.GetBlockAsync(type, block, reveal: false, cancellationToken).ConfigureAwait(false) is not null).ConfigureAwait(false)
                ? null
                : $"the {type} block '{block}', which the server at {serverUrl} does not have; create it with: {create}";
        }

        // A malformed reference is reported where it is resolved, with the form to use.
        return null;
    }

    private async Task<bool> ExistsAsync(string key, Func<Task<bool>> lookup)
    {
        if (!_known.TryGetValue(key, out var exists))
        {
            exists = await lookup().ConfigureAwait(false);
            _known[key] = exists;
        }

        return exists;
    }

    private static void Collect(ConfigNode? node, string where, List<(string, SourceLocation, string)> places)
    {
        switch (node)
        {
            case ConfigMap map:
                foreach (var (key, value) in map.Entries)
                {
                    Collect(value, $"{where}, '{key}'", places);
                }

                break;
            case ConfigList list:
                for (var i = 0; i < list.Items.Count; i++)
                {
                    Collect(list.Items[i], $"{where}[{i}]", places);
                }

                break;
            case ConfigScalar { Value: string text } scalar:
                foreach (Match match in Reference().Matches(text))
                {
                    places.Add((match.Groups["ref"].Value, scalar.Location, where));
                }

                break;
        }
    }

    [GeneratedRegex(@"\{\{\s*(?<ref>weir\.(?:blocks|variables)\.[^{}\s]*)\s*\}\}")]
    private static partial Regex Reference();
}
