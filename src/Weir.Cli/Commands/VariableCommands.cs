using System.CommandLine;
using Spectre.Console;
using Weir.Cli.Output;

namespace Weir.Cli.Commands;

/// <summary><c>weir variable set|ls</c>: named plain values (<c>{{ weir.variables.NAME }}</c>).</summary>
internal static class VariableCommands
{
    public static Command Create()
    {
        var command = new Command("variable", "Manage variables: named plain values ({{ weir.variables.NAME }}).");
        var name = new Argument<string>("name") { Description = "The variable's name." };
        var value = new Argument<string>("value") { Description = "Its value (plain text; use a Secret block for anything secret)." };
        var set = new Command("set", "Set a variable.") { name, value };
        CliAction.Set(set, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            await client.PutVariableAsync(parse.GetValue(name)!, parse.GetValue(value)!, cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine($"Set {Markup.Escape(parse.GetValue(name)!)}.");
            return ExitCodes.Success;
        });

        var json = JsonOutput.Option();
        var ls = new Command("ls", "List variables.") { json };
        CliAction.Set(ls, async (parse, cancellationToken) =>
        {
            using var client = ServerApi.Client();
            var variables = await client.ListVariablesAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                return JsonOutput.Write(variables);
            }

            var table = new Table().AddColumns("Name", "Value", "Updated");
            foreach (var v in variables)
            {
                table.AddRow(Markup.Escape(v.Name), Markup.Escape(TerminalText.Escape(v.Value)), Terminal.When(v.Updated));
            }

            Terminal.Out.Write(table);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(set);
        command.Subcommands.Add(ls);
        return command;
    }
}
