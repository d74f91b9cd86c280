using System.CommandLine;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Engine;

namespace Weir.Cli;

/// <summary>
/// Runs a command's action and turns the errors users can cause into a sentence on standard error
/// and an exit code. The stack trace is shown only with <c>--verbose</c>.
/// </summary>
internal static class CliAction
{
    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Describe(ex) is { } described)
            {
                Terminal.Error.MarkupLine("[red]error:[/] " + Markup.Escape(TerminalText.Escape(described.Message, keepLineBreaks: true)));
                if (parseResult.GetValue(GlobalOptions.Verbose))
                {
                    Terminal.Error.WriteLine(ex.ToString());
                }

                return described.ExitCode;
            }
        });

    private static (string Message, int ExitCode)? Describe(Exception ex) => ex switch
    {
        CliError cli => (cli.Message, cli.ExitCode),
        Weir.Client.WeirException weir when weir.IsUserError => (weir.Message, ExitCodes.UsageError),
        ParameterBindingException or FlowNotFoundException or FileNotFoundException or DirectoryNotFoundException => (ex.Message, ExitCodes.UsageError),
        System.Text.Json.JsonException json => ("Invalid JSON: " + json.Message, ExitCodes.UsageError),
        HttpRequestException http => ($"Cannot reach the Weir server at {ServerApi.Url} ({http.Message}). Start one with 'weir server start', or point WEIR_API_URL or a profile (weir profile use) at yours.", ExitCodes.UsageError),
        OperationCanceledException => ("Cancelled.", ExitCodes.RunFailed),
        _ => null,
    };
}
