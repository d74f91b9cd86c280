using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Cli.Output;

namespace Weir.Cli.Commands;

/// <summary><c>weir secret set NAME</c>: stores a Secret block. The value comes from standard input or a masked prompt, never from the command line.</summary>
internal static class SecretCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The Secret block's name (referenced as {{ weir.blocks.secret.NAME }})." };
        var set = new Command("set", "Store a secret value (read from standard input, or asked for with a masked prompt).") { name };
        CliAction.Set(set, async (parse, cancellationToken) =>
        {
            var value = await ReadSecretAsync("Value", "printf %s \"$TOKEN\" | weir secret set NAME", cancellationToken).ConfigureAwait(false);
            using var client = ServerApi.Client();
            await client.PutBlockAsync("secret", parse.GetValue(name)!, new JsonObject { ["value"] = value }, cancellationToken).ConfigureAwait(false);
            Terminal.Out.MarkupLine($"Stored the Secret block [bold]{Markup.Escape(parse.GetValue(name)!)}[/]; refer to it as {{{{ weir.blocks.secret.{Markup.Escape(parse.GetValue(name)!)} }}}}.");
            return ExitCodes.Success;
        });
        var command = new Command("secret", "Manage Secret blocks.");
        command.Subcommands.Add(set);
        return command;
    }

    /// <summary>A secret from standard input when it is redirected, else from a masked prompt asking for <paramref name="question"/> by name.</summary>
    internal static async Task<string> ReadSecretAsync(string question, string pipeExample, CancellationToken cancellationToken)
    {
        string value;
        if (Console.IsInputRedirected)
        {
            value = (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
        }
        else
        {
            value = Terminal.Error.Prompt(new TextPrompt<string>(Markup.Escape(question) + ":").Secret());
        }

        return value.Length > 0 ? value : throw new CliError($"The secret value ({question}) is empty; pipe it in ({pipeExample}) or type it at the prompt.");
    }
}
