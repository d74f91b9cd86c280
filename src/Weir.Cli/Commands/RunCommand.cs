using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Compiler;
using Weir.Engine;

namespace Weir.Cli.Commands;

/// <summary><c>weir run flows/x.cs:example --param limit=3</c>: runs a flow here, without a server.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var entrypoint = new Argument<string>("entrypoint") { Description = "The flow to run: path/to/file.cs:flow-name (the name may be left out when the file has one flow)." };
        var param = new Option<string[]>("--param", "-p")
        {
            Description = "A parameter as name=value; repeat for more. Values are converted to the flow's parameter types (JSON for arrays and objects).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var paramsJson = new Option<string?>("--params-json") { Description = "Parameters as a JSON object, e.g. '{\"limit\": 3}'. --param values override it." };
        var command = new Command("run", "Run a flow locally, without a server, showing each task run's states and logs.") { entrypoint, param, paramsJson };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var target = ParseEntrypoint(parse.GetValue(entrypoint)!);
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            var build = await FlowFiles.CompileAsync(target.Path, quiet: false, cancellationToken).ConfigureAwait(false);
            using var loaded = build.Load();
            var flow = FlowFiles.Find(loaded, target);

            var values = ParseParameters(flow, parse.GetValue(param) ?? [], parse.GetValue(paramsJson));
            var clock = Stopwatch.StartNew();
            // Secret.GetAsync and the like read from the server in WEIR_API_URL with WEIR_API_KEY, when it is set.
            var runValues = Weir.Worker.Hosting.ServerRunValues.ForLocalRun();
            FlowRunResult result;
            try
            {
                result = await new FlowEngine(new TerminalRunSink(Terminal.Out, verbose)).RunAsync(flow, values, new FlowRunOptions { Values = runValues }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                (runValues as IDisposable)?.Dispose();
            }

            clock.Stop();

            var seconds = clock.Elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            if (result.State.Type == StateType.Completed)
            {
                if (result.Value is not null)
                {
                    Terminal.Out.MarkupLine("Result: " + Markup.Escape(TerminalText.Escape(FormatValue(result.Value))));
                }

                Terminal.Error.MarkupLine($"[green]Flow run '{Markup.Escape(flow.Name)}' completed in {seconds} s.[/]");
                return ExitCodes.Success;
            }

            Terminal.Error.MarkupLine($"[red]Flow run '{Markup.Escape(flow.Name)}' ended {result.State.Type} after {seconds} s: {Markup.Escape(TerminalText.Escape(result.State.Message ?? string.Empty, keepLineBreaks: true))}[/]");
            return ExitCodes.RunFailed;
        });
        return command;
    }

    internal static Entrypoint ParseEntrypoint(string text)
    {
        try
        {
            return Entrypoint.Parse(text);
        }
        catch (ArgumentException ex)
        {
            throw new CliError(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    internal static IReadOnlyDictionary<string, object?> ParseParameters(FlowDefinition flow, string[] assignments, string? json)
    {
        JsonElement? jsonValues = json is null ? null : ParameterBinder.ParseJson(json, "--params-json");
        return ParameterBinder.Bind(flow, assignments.Select(ParameterBinder.ParseAssignment), jsonValues);
    }

    private static string FormatValue(object value)
    {
        try
        {
            return JsonSerializer.Serialize(value);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            return value.ToString() ?? string.Empty;
        }
    }
}
