using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Weir.Cli.Output;

namespace Weir.Cli.Commands;

/// <summary><c>weir inspect flows/x.cs</c>: every flow in a file with its structure.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The flow file." };
        var json = new Option<bool>("--json") { Description = "Print the structures as JSON." };
        var command = new Command("inspect", "Show every flow in a file: parameters, the tasks it calls in order, and its structure hash.") { file, json };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var asJson = parse.GetValue(json);
            var build = await FlowFiles.CompileAsync(path, quiet: asJson, cancellationToken).ConfigureAwait(false);
            if (asJson)
            {
                var flows = build.Flows.Select(f => new { f.Name, f.Parameters, f.Tasks, f.Hash });
                Terminal.Out.WriteLine(JsonSerializer.Serialize(flows, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
                return ExitCodes.Success;
            }

            if (build.Flows.Count == 0)
            {
                Terminal.Out.MarkupLine($"{Markup.Escape(path)} has no [[Flow]] method.");
            }

            foreach (var flow in build.Flows)
            {
                Terminal.Out.MarkupLine($"[bold]{Markup.Escape(path)}:{Markup.Escape(flow.Name)}[/]  [grey]structure {flow.Hash[..12]}[/]");
                var table = new Table().AddColumns("Parameter", "Type", "Default");
                foreach (var parameter in flow.Parameters)
                {
                    table.AddRow(Markup.Escape(parameter.Name), Markup.Escape(parameter.Type), parameter.Required ? "[grey](required)[/]" : Markup.Escape(parameter.Default ?? "null"));
                }

                if (flow.Parameters.Count > 0)
                {
                    Terminal.Out.Write(table);
                }
                else
                {
                    Terminal.Out.MarkupLine("  [grey]no parameters[/]");
                }

                Terminal.Out.MarkupLine("  Tasks, in call order: " + (flow.Tasks.Count == 0 ? "[grey]none[/]" : Markup.Escape(string.Join(" → ", flow.Tasks))));
                Terminal.Out.WriteLine();
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
