using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;

namespace Weir.Cli.Commands;

/// <summary><c>weir block …</c>, <c>weir variable …</c> and <c>weir work-pool …</c>.</summary>
internal static class AdminCommands
{
    public static Command Blocks()
    {
        var command = new Command("block", "Manage blocks: typed, named documents such as credentials. Secret fields are encrypted and never listed.");
        var type = new Argument<string>("type") { Description = "The block type, e.g. github-credentials (see weir block types)." };
        var name = new Argument<string>("name") { Description = "The block's name." };
        var fields = new Option<string[]>("--field") { Description = "A non-secret field as key=value; secret fields are asked for (or read from standard input, one per line, in the type's order).", Arity = ArgumentArity.ZeroOrMore };
        var create = new Command("create", "Create or replace a block.") { type, name, fields };
        CliAction.Set(create, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var blockType = (await client.BlockTypesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Slug == parse.GetValue(type))
                ?? throw new CliError($"There is no block type '{parse.GetValue(type)}'; see weir block types.");
            var values = new JsonObject();
            foreach (var field in parse.GetValue(fields) ?? [])
            {
                var pair = Engine.ParameterBinder.ParseAssignment(field);
                if (blockType.SecretFields.Contains(pair.Key))
                {
                    throw new CliError($"'{pair.Key}' is secret; it is never taken from the command line. Leave it out and type it at the prompt, or pipe it in.");
                }

                values[pair.Key] = pair.Value;
            }

            foreach (var secret in blockType.SecretFields)
            {
                if (Console.IsInputRedirected)
                {
                    var line = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    if (!string.IsNullOrEmpty(line))
                    {
                        values[secret] = line;
                    }
                }
                else
                {
                    var typed = Terminal.Error.Prompt(new TextPrompt<string>($"{secret} (secret, empty to leave out):").Secret().AllowEmpty());
                    if (typed.Length > 0)
                    {
                        values[secret] = typed;
                    }
                }
            }

            var block = await client.PutBlockAsync(blockType.Slug, parse.GetValue(name)!, values, cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine($"Stored the {Markup.Escape(block.Type)} block [bold]{Markup.Escape(block.Name)}[/]; refer to it as {{{{ weir.blocks.{Markup.Escape(block.Type)}.{Markup.Escape(block.Name)} }}}}.");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(create);

        var ls = new Command("ls", "List blocks (secret fields masked).");
        CliAction.Set(ls, async (_, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var table = new Table().AddColumns("Type", "Name", "Fields", "Updated");
            foreach (var b in await client.ListBlocksAsync(cancellationToken).ConfigureAwait(false))
            {
                table.AddRow(Markup.Escape(b.Type), Markup.Escape(b.Name), Markup.Escape(string.Join(", ", b.Fields.Select(f => f.Key))), Terminal.When(b.Updated));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(ls);

        var inspectType = new Argument<string>("type");
        var inspectName = new Argument<string>("name");
        var inspect = new Command("inspect", "Show a block; secret fields stay masked.") { inspectType, inspectName };
        CliAction.Set(inspect, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var block = await client.GetBlockAsync(parse.GetValue(inspectType)!, parse.GetValue(inspectName)!, reveal: false, cancellationToken).ConfigureAwait(false)
                ?? throw new CliError($"There is no {parse.GetValue(inspectType)} block named '{parse.GetValue(inspectName)}'.");
            Terminal.Out.WriteLine(JsonSerializer.Serialize(block, new JsonSerializerOptions(ApiJson.Options) { WriteIndented = true }));
            return ExitCodes.Success;
        });
        command.Subcommands.Add(inspect);

        var rmType = new Argument<string>("type");
        var rmName = new Argument<string>("name");
        var rm = new Command("rm", "Delete a block.") { rmType, rmName };
        CliAction.Set(rm, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            if (!await client.DeleteBlockAsync(parse.GetValue(rmType)!, parse.GetValue(rmName)!, cancellationToken).ConfigureAwait(false))
            {
                throw new CliError($"There is no {parse.GetValue(rmType)} block named '{parse.GetValue(rmName)}'.");
            }

            Terminal.Out.WriteLine("Deleted.");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(rm);

        var types = new Command("types", "List block types and their fields.");
        CliAction.Set(types, async (_, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var table = new Table().AddColumns("Type", "Fields (secret ones marked *)", "What for");
            foreach (var t in await client.BlockTypesAsync(cancellationToken).ConfigureAwait(false))
            {
                table.AddRow(t.Slug, Markup.Escape(string.Join(", ", t.Fields.Select(f => t.SecretFields.Contains(f) ? f + "*" : f))), Markup.Escape(t.Description));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(types);
        return command;
    }

    public static Command Variables()
    {
        var command = new Command("variable", "Manage variables: named plain values ({{ weir.variables.NAME }}).");
        var name = new Argument<string>("name");
        var value = new Argument<string>("value");
        var set = new Command("set", "Set a variable.") { name, value };
        CliAction.Set(set, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            await client.PutVariableAsync(parse.GetValue(name)!, parse.GetValue(value)!, cancellationToken).ConfigureAwait(false);
            Terminal.Out.WriteLine($"Set {parse.GetValue(name)}.");
            return ExitCodes.Success;
        });
        var ls = new Command("ls", "List variables.");
        CliAction.Set(ls, async (_, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var table = new Table().AddColumns("Name", "Value");
            foreach (var v in await client.ListVariablesAsync(cancellationToken).ConfigureAwait(false))
            {
                table.AddRow(Markup.Escape(v.Name), Markup.Escape(v.Value));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(set);
        command.Subcommands.Add(ls);
        return command;
    }

    public static Command Pools()
    {
        var command = new Command("work-pool", "Manage work pools.");
        var name = new Argument<string>("name");
        var type = new Option<string>("--type") { DefaultValueFactory = _ => "process", Description = "process or container." };
        var limit = new Option<int?>("--limit") { Description = "Concurrency limit." };
        var create = new Command("create", "Create or update a work pool.") { name, type, limit };
        CliAction.Set(create, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var pool = await client.PutPoolAsync(parse.GetValue(name)!, parse.GetValue(type)!, parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            Terminal.Out.WriteLine($"Work pool '{pool.Name}' ({pool.Type}).");
            return ExitCodes.Success;
        });
        var ls = new Command("ls", "List work pools and their workers' last heart-beats.");
        CliAction.Set(ls, async (_, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var table = new Table().AddColumns("Pool", "Type", "Workers (last heart-beat)");
            foreach (var p in await client.ListPoolsAsync(cancellationToken).ConfigureAwait(false))
            {
                table.AddRow(Markup.Escape(p.Name), p.Type, Markup.Escape(string.Join(", ", p.Workers.Select(w => $"{w.Name} ({Terminal.Clock(w.LastHeartbeat)})"))));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(create);
        command.Subcommands.Add(ls);
        return command;
    }
}
