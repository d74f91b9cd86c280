using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;

namespace Weir.Cli.Commands;

/// <summary><c>weir block create|ls|inspect|rm|types</c>: typed, named documents such as credentials.</summary>
internal static class BlockCommands
{
    public static Command Create()
    {
        var command = new Command("block", "Manage blocks: typed, named documents such as credentials. Secret fields are encrypted and never listed.");
        command.Subcommands.Add(CreateBlock());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Inspect());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Types());
        return command;
    }

    /// <summary>
    /// Secret fields never come from the command line (where process listings and shell histories keep them):
    /// each is named, and its value read from standard input (<c>--secret-stdin FIELD</c>), a file
    /// (<c>--secret-file FIELD=PATH</c>), or a masked prompt that asks for it by name.
    /// </summary>
    private static Command CreateBlock()
    {
        var type = new Argument<string>("type") { Description = "The block type, e.g. github-credentials (see weir block types)." };
        var name = new Argument<string>("name") { Description = "The block's name." };
        var fields = new Option<string[]>("--field") { Description = "A field that is not secret, as key=value; repeat for more.", Arity = ArgumentArity.ZeroOrMore };
        var secretStdin = new Option<string?>("--secret-stdin") { Description = "The secret field whose value is read from standard input, e.g. --secret-stdin token." };
        var secretFiles = new Option<string[]>("--secret-file") { Description = "A secret field read from a file, as field=path (for several lines, such as an SSH key); repeat for more.", Arity = ArgumentArity.ZeroOrMore };
        var create = new Command("create", "Create or replace a block. In a terminal, each secret field not given otherwise is asked for by name, masked.") { type, name, fields, secretStdin, secretFiles };
        CliAction.Set(create, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var slug = parse.GetValue(type)!;
            var blockType = (await client.BlockTypesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Slug == slug)
                ?? throw new CliError($"There is no block type '{slug}'; see weir block types.");
            var values = new JsonObject();
            foreach (var field in parse.GetValue(fields) ?? [])
            {
                var pair = Engine.ParameterBinder.ParseAssignment(field);
                if (blockType.SecretFields.Contains(pair.Key))
                {
                    throw new CliError($"'{pair.Key}' is a secret field; it is never taken from the command line. Pipe it in with --secret-stdin {pair.Key}, read it from a file with --secret-file {pair.Key}=PATH, or leave it out to be asked for it.");
                }

                values[pair.Key] = pair.Value;
            }

            foreach (var file in parse.GetValue(secretFiles) ?? [])
            {
                var equals = file.IndexOf('=', StringComparison.Ordinal);
                var field = equals > 0 ? file[..equals] : throw new CliError($"'{file}' is not field=path; write it as --secret-file {blockType.SecretFields.FirstOrDefault() ?? "field"}=PATH.");
                var path = Path.GetFullPath(file[(equals + 1)..]);
                values[Secret(blockType, field, "--secret-file")] = File.Exists(path)
                    ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)
                    : throw new CliError($"The file '{path}' for --secret-file {field} does not exist.");
            }

            if (parse.GetValue(secretStdin) is { } fromStdin)
            {
                var field = Secret(blockType, fromStdin, "--secret-stdin");
                values[field] = await SecretCommand.ReadSecretAsync(field, $"printf %s \"$VALUE\" | weir block create {slug} NAME --secret-stdin {field}", cancellationToken).ConfigureAwait(false);
            }

            var missing = blockType.SecretFields.Where(f => !values.ContainsKey(f)).ToList();
            if (missing.Count > 0 && !Console.IsInputRedirected)
            {
                foreach (var field in missing)
                {
                    var typed = Terminal.Error.Prompt(new TextPrompt<string>($"{Markup.Escape(field)} (secret, empty to leave out):").Secret().AllowEmpty());
                    if (typed.Length > 0)
                    {
                        values[field] = typed;
                    }
                }
            }
            else if (missing.Count > 0)
            {
                Terminal.Error.MarkupLine(Markup.Escape($"Left out the secret field{(missing.Count == 1 ? string.Empty : "s")} {string.Join(", ", missing)}: there is no terminal to ask in. Give one with --secret-stdin FIELD or --secret-file FIELD=PATH."));
            }

            var block = await client.PutBlockAsync(blockType.Slug, parse.GetValue(name)!, values, cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine($"Stored the {Markup.Escape(block.Type)} block [bold]{Markup.Escape(block.Name)}[/]; refer to it as {Markup.Escape(Reference(block))}.");
            return ExitCodes.Success;
        });
        return create;
    }

    private static string Secret(BlockTypeDto type, string field, string option) => type.SecretFields.Contains(field)
        ? field
        : throw new CliError(type.Fields.Contains(field)
            ? $"'{field}' is not a secret field of {type.Slug}; give it with --field {field}=VALUE."
            : $"{type.Slug} has no field '{field}' ({option}); its secret fields: {string.Join(", ", type.SecretFields)}.");

    private static string Reference(BlockDto block) => $"{{{{ weir.blocks.{block.Type}.{block.Name} }}}}";

    private static Command List()
    {
        var json = JsonOutput.Option();
        var ls = new Command("ls", "List blocks (secret fields masked).") { json };
        CliAction.Set(ls, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var blocks = await client.ListBlocksAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(blocks);
            }

            var table = new Table().AddColumns("Type", "Name", "Fields", "Updated");
            foreach (var b in blocks)
            {
                table.AddRow(Markup.Escape(b.Type), Markup.Escape(b.Name), Markup.Escape(string.Join(", ", b.Fields.Select(f => f.Key))), Terminal.When(b.Updated));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        return ls;
    }

    private static Command Inspect()
    {
        var type = new Argument<string>("type") { Description = "The block type." };
        var name = new Argument<string>("name") { Description = "The block's name." };
        var json = JsonOutput.Option();
        var inspect = new Command("inspect", "Show a block's fields; secret fields stay masked.") { type, name, json };
        CliAction.Set(inspect, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var block = await client.GetBlockAsync(parse.GetValue(type)!, parse.GetValue(name)!, reveal: false, cancellationToken).ConfigureAwait(false)
                ?? throw new CliError($"There is no {parse.GetValue(type)} block named '{parse.GetValue(name)}'; see weir block ls.");
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(block, indented: true);
            }

            Terminal.Out.MarkupLine($"[bold]{Markup.Escape(block.Type)} block {Markup.Escape(block.Name)}[/]  [grey]refer to it as {Markup.Escape(Reference(block))}[/]");
            var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
            foreach (var (field, value) in block.Fields)
            {
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null";
                grid.AddRow(Markup.Escape(field), Markup.Escape(TerminalText.Escape(text)) + (block.SecretFields.Contains(field) ? " [grey](secret)[/]" : string.Empty));
            }

            grid.AddRow("[grey]updated[/]", Terminal.When(block.Updated));
            Terminal.Out.Write(grid);
            return ExitCodes.Success;
        });
        return inspect;
    }

    private static Command Remove()
    {
        var type = new Argument<string>("type") { Description = "The block type." };
        var name = new Argument<string>("name") { Description = "The block's name." };
        var rm = new Command("rm", "Delete a block.") { type, name };
        CliAction.Set(rm, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            if (!await client.DeleteBlockAsync(parse.GetValue(type)!, parse.GetValue(name)!, cancellationToken).ConfigureAwait(false))
            {
                throw new CliError($"There is no {parse.GetValue(type)} block named '{parse.GetValue(name)}'; see weir block ls.");
            }

            Terminal.Out.WriteLine("Deleted.");
            return ExitCodes.Success;
        });
        return rm;
    }

    private static Command Types()
    {
        var json = JsonOutput.Option();
        var types = new Command("types", "List block types and their fields.") { json };
        CliAction.Set(types, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var all = await client.BlockTypesAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(all);
            }

            var table = new Table().AddColumns("Type", "Fields (secret ones marked *)", "What for");
            foreach (var t in all)
            {
                table.AddRow(Markup.Escape(t.Slug), Markup.Escape(string.Join(", ", t.Fields.Select(f => t.SecretFields.Contains(f) ? f + "*" : f))), Markup.Escape(t.Description));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        return types;
    }
}
