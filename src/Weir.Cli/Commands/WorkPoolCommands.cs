using System.CommandLine;
using Weir.Client;
using Spectre.Console;
using Weir.Cli.Output;

namespace Weir.Cli.Commands;

/// <summary><c>weir work-pool create|ls</c>.</summary>
internal static class WorkPoolCommands
{
    public static Command Create()
    {
        var command = new Command("work-pool", "Manage work pools.");
        var name = new Argument<string>("name") { Description = "The pool's name." };
        var type = new Option<string>("--type") { DefaultValueFactory = _ => WorkPoolTypes.Process, Description = "in-process (runs in the worker's own process: fastest, least isolated), process (a flow process per run) or container (a container per run)." };
        type.AcceptOnlyFromAmong([.. WorkPoolTypes.All]);
        var limit = new Option<int?>("--limit") { Description = "How many of its runs may go at once." };
        var create = new Command("create", "Create or update a work pool.") { name, type, limit };
        CliAction.Set(create, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var pool = await client.PutPoolAsync(parse.GetValue(name)!, parse.GetValue(type)!, parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine(Markup.Escape($"Work pool '{pool.Name}' ({pool.Type})."));
            return ExitCodes.Success;
        });

        var json = JsonOutput.Option();
        var ls = new Command("ls", "List work pools and their workers' last heart-beats.") { json };
        CliAction.Set(ls, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var pools = await client.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(pools);
            }

            var table = new Table().AddColumns("Pool", "Type", "Limit", "Workers (last heart-beat)");
            foreach (var p in pools)
            {
                table.AddRow(Markup.Escape(p.Name) + (p.Paused ? " [yellow](paused)[/]" : string.Empty), Markup.Escape(p.Type),
                    p.ConcurrencyLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
                    Markup.Escape(string.Join(", ", p.Workers.Select(w => $"{w.Name} ({Terminal.Clock(w.LastHeartbeat)})"))));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(create);
        command.Subcommands.Add(ls);
        return command;
    }
}
