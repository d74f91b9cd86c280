using System.CommandLine;
using Weir.Client;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Worker.Kubernetes;

namespace Weir.Cli.Commands;

/// <summary><c>weir work-pool create|ls</c>.</summary>
internal static class WorkPoolCommands
{
    public static Command Create()
    {
        var command = new Command("work-pool", "Manage work pools.");
        var name = new Argument<string>("name") { Description = "The pool's name." };
        var type = new Option<string>("--type") { DefaultValueFactory = _ => WorkPoolTypes.Process, Description = "in-process (runs in the worker's own process: fastest, least isolated), process (a flow process per run), container (a container per run) or kubernetes (a Job per run)." };
        type.AcceptOnlyFromAmong([.. WorkPoolTypes.All]);
        var limit = new Option<int?>("--limit") { Description = "How many of its runs may go at once." };
        var template = new Option<string?>("--base-job-template") { Description = "kubernetes pools: a job template file (YAML or JSON: job_manifest and variables) the pool's workers make each Job from; weir init --recipe kubernetes writes one." };
        var create = new Command("create", "Create or update a work pool.") { name, type, limit, template };
        CliAction.Set(create, async (parse, cancellationToken) =>
        {
            System.Text.Json.Nodes.JsonObject? jobTemplate = null;
            if (parse.GetValue(template) is { } file)
            {
                if (parse.GetValue(type) != WorkPoolTypes.Kubernetes)
                {
                    throw new CliError($"--base-job-template is for kubernetes pools; add --type {WorkPoolTypes.Kubernetes}.");
                }

                try
                {
                    jobTemplate = KubernetesJobTemplate.ReadFile(file);
                }
                catch (Exception ex) when (ex is KubernetesPoolException or FileNotFoundException or Weir.Storage.Config.ConfigException)
                {
                    throw new CliError(ex.Message);
                }
            }

            using var client = ServerApi.Client();
            var pool = await client.PutPoolAsync(parse.GetValue(name)!, new WorkPoolRequest(parse.GetValue(type)!, parse.GetValue(limit), BaseJobTemplate: jobTemplate), cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine(Markup.Escape($"Work pool '{pool.Name}' ({pool.Type}){(pool.BaseJobTemplate is null ? string.Empty : " with its job template")}."));
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
