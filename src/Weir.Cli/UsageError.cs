using System.CommandLine;
using Spectre.Console;
using Weir.Cli.Output;

namespace Weir.Cli;

/// <summary>
/// A command line that does not parse: one line saying what is wrong, and the command's usage (not the whole
/// help, which buries the error). The caller exits with <see cref="ExitCodes.UsageError"/>.
/// </summary>
internal static class UsageError
{
    public static void Print(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        Terminal.Error.MarkupLine("[red]error:[/] " + Markup.Escape(TerminalText.Escape(Message(parse, command))));
        var path = Path(command);
        Terminal.Error.WriteLine($"Usage: {Usage(command, path)}   (see {path} --help)");
        if (command.Subcommands.Any(c => !c.Hidden))
        {
            Terminal.Error.WriteLine("Commands: " + string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)) + ".");
        }
    }

    private static string Message(ParseResult parse, Command command)
    {
        // "Required command was not provided" says less than the token it could not match; say that one.
        var errors = parse.Errors.Select(e => e.Message).ToList();
        var message = errors.FirstOrDefault(e => e.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? errors.FirstOrDefault() ?? "The command line is not complete.";
        var unmatched = parse.UnmatchedTokens.FirstOrDefault();
        if (unmatched is not null && Closest(unmatched, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)) is { } suggestion)
        {
            message += $" Did you mean '{suggestion}'?";
        }

        return message;
    }

    private static string Path(Command command)
    {
        var names = new List<string>();
        for (Command? at = command; at is not null; at = at.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(at.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Usage(Command command, string path)
    {
        var parts = new List<string> { path };
        if (command.Subcommands.Any(c => !c.Hidden))
        {
            parts.Add(command.Action is null ? "<command>" : "[command]");
        }

        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            var name = $"<{argument.Name}>" + (argument.Arity.MaximumNumberOfValues > 1 ? "..." : string.Empty);
            parts.Add(argument.Arity.MinimumNumberOfValues == 0 ? $"[{name}]" : name);
        }

        parts.Add("[options]");
        return string.Join(' ', parts);
    }

    /// <summary>The name nearest <paramref name="typed"/> (at most two edits, or a name it starts), if any; of equally near ones, the one sharing most letters.</summary>
    private static string? Closest(string typed, IEnumerable<string> names) =>
        names.Select(n => (Name: n, Distance: n.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(typed, n)))
            .Where(c => c.Distance <= 2).OrderBy(c => c.Distance).ThenByDescending(c => Common(typed, c.Name)).Select(c => c.Name).FirstOrDefault();

    /// <summary>The length of the longest common subsequence.</summary>
    private static int Common(string a, string b)
    {
        var previous = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
