using System.CommandLine;
using Weir.Cli.Output;
using Weir.Client;

namespace Weir.Cli.Commands;

/// <summary>
/// The flow run a command is about, as people give it: its short id (what <c>weir flow-run ls</c> and the UI
/// show), its id, or any start of either that only one run has. An ambiguous start lists the runs it fits.
/// </summary>
internal static class RunIds
{
    private const int ShownMatches = 10;

    public static Argument<string> Argument() => new("flow-run")
    {
        Description = "The flow run: its short id (as weir flow-run ls shows it), its id, or the start of either that only one run has.",
    };

    public static async Task<Guid> ResolveAsync(WeirClient client, string text, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        var matches = await client.FindRunsAsync(text, ShownMatches + 1, cancellationToken).ConfigureAwait(false);
        return matches.Count switch
        {
            0 => throw new CliError($"No flow run's id or short id starts with '{TerminalText.Escape(text)}'; see weir flow-run ls."),
            1 => matches[0].Id,
            _ => throw new CliError(Ambiguous(text, matches)),
        };
    }

    private static string Ambiguous(string text, IReadOnlyList<FlowRunDto> matches)
    {
        var count = matches.Count > ShownMatches ? $"more than {ShownMatches}" : matches.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var lines = matches.Take(ShownMatches).Select(r =>
            $"  {r.ShortId}  {r.Id}  {TerminalText.Escape(r.DeploymentName ?? r.FlowName)}  {r.State}  created {Terminal.When(r.Created, seconds: true)}");
        return $"'{TerminalText.Escape(text)}' is the start of {count} flow runs' ids; give more of it, or the run's short id:\n" + string.Join('\n', lines);
    }
}
