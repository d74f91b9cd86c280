using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;

namespace Weir.Cli.Commands;

/// <summary><c>weir deployment run|ls|inspect</c>.</summary>
internal static class DeploymentCommands
{
    public static Command Create()
    {
        var command = new Command("deployment", "Run and inspect deployments.");
        command.Subcommands.Add(RunCommandFor());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Inspect());
        return command;
    }

    private static Command RunCommandFor()
    {
        var name = new Argument<string>("deployment") { Description = "FLOW/DEPLOYMENT." };
        var param = new Option<string[]>("--param", "-p") { Description = "A parameter as name=value (JSON for arrays and objects); repeat for more.", Arity = ArgumentArity.ZeroOrMore };
        var paramsJson = new Option<string?>("--params-json") { Description = "Parameters as a JSON object." };
        var watch = new Option<bool>("--watch") { Description = "Follow the run's states and logs until it ends; exit 0 when it Completed." };
        var run = new Command("run", "Create a flow run of a deployment; a worker of its pool picks it up.") { name, param, paramsJson, watch };
        CliAction.Set(run, async (parse, cancellationToken) =>
        {
            var (flow, deployment) = ServerApi.DeploymentName(parse.GetValue(name)!);
            var parameters = Parameters(parse.GetValue(param) ?? [], parse.GetValue(paramsJson));
            using var client = ServerApi.Client();
            var created = await client.CreateRunAsync(flow, deployment, parameters, cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine($"Created flow run [bold]{created.ShortId}[/] of {Markup.Escape(flow)}/{Markup.Escape(deployment)} (id {created.Id}).");
            return parse.GetValue(watch) ? await RunWatcher.WatchAsync(client, created.Id, cancellationToken).ConfigureAwait(false) : ExitCodes.Success;
        });
        return run;
    }

    private static Command List()
    {
        var json = JsonOutput.Option();
        var ls = new Command("ls", "List deployments.") { json };
        CliAction.Set(ls, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var deployments = await client.ListDeploymentsAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(deployments);
            }

            var table = new Table().AddColumns("Deployment", "Entrypoint", "Work pool", "Version", "Updated");
            foreach (var d in deployments)
            {
                table.AddRow(Markup.Escape(d.FullName), Markup.Escape(d.Entrypoint), Markup.Escape(d.WorkPool), d.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), Terminal.When(d.Updated));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        return ls;
    }

    private static Command Inspect()
    {
        var name = new Argument<string>("deployment") { Description = "FLOW/DEPLOYMENT." };
        var json = JsonOutput.Option();
        var inspect = new Command("inspect", "Show a deployment: entrypoint, storage, parameters, tasks, schedules, pull steps (block references stay references).") { name, json };
        CliAction.Set(inspect, async (parse, cancellationToken) =>
        {
            var (flow, deployment) = ServerApi.DeploymentName(parse.GetValue(name)!);
            using var client = ServerApi.Client();
            var found = await client.GetDeploymentAsync(flow, deployment, cancellationToken).ConfigureAwait(false)
                ?? throw new CliError($"There is no deployment '{flow}/{deployment}'; see weir deployment ls.");
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(found, indented: true);
            }

            DeploymentView.Write(Terminal.Out, found);
            return ExitCodes.Success;
        });
        return inspect;
    }

    /// <summary>
    /// The run's parameters: <c>--params-json</c>, then each <c>--param</c>. The server knows the types: a value is
    /// sent as JSON when it reads as JSON, else as a string; one that starts like an array or object must be JSON.
    /// </summary>
    private static JsonObject Parameters(string[] assignments, string? json)
    {
        var result = json is null ? []
            : Engine.ParameterBinder.ParseJson(json, "--params-json") is { ValueKind: JsonValueKind.Object } parsed ? JsonObject.Create(parsed)!
            : throw new CliError("--params-json must be a JSON object like '{\"limit\": 3}'.");
        foreach (var assignment in assignments)
        {
            var pair = Engine.ParameterBinder.ParseAssignment(assignment);
            JsonNode? value;
            if (pair.Value.TrimStart() is ['[' or '{', ..])
            {
                value = JsonNode.Parse(Engine.ParameterBinder.ParseJson(pair.Value, $"--param {pair.Key}").GetRawText());
            }
            else
            {
                try
                {
                    value = JsonNode.Parse(pair.Value);
                }
                catch (JsonException)
                {
                    value = JsonValue.Create(pair.Value);
                }
            }

            result[pair.Key] = value;
        }

        return result;
    }
}
