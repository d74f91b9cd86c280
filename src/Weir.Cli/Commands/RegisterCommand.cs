using System.CommandLine;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;
using Weir.Compiler;
using Weir.Deploy;
using Weir.Deploy.Registration;
using Weir.Storage.Steps;
using Weir.Worker;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir register -p PATH [-p PATH...] --project NAME</c>: registers every flow of the files with the
/// storage each declares in code (<see cref="FlowStorage"/>), printing what it did the way the seeds
/// show. The deployment is named after the project. <c>StoredAsScript = false</c> compiles the flow
/// now and stores the build on the server; workers then run exactly that build.
/// </summary>
internal static class RegisterCommand
{
    private const int RuleWidth = 62;

    public static Command Create()
    {
        var paths = new Option<string[]>("--path", "-p") { Description = "A flow file to register (repeat for more).", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var project = new Option<string>("--project") { Description = "The project the flows belong to; their deployments are named after it.", Required = true };
        var pool = new Option<string>("--pool") { Description = "The work pool whose workers run the flows.", DefaultValueFactory = _ => "default" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what each storage's build and push steps would upload, keep and remove, and what would be registered, changing nothing." };
        var command = new Command("register", "Register the flows of flow files with the storage they declare in code (GitHubStorage, S3Storage, LocalStorage, ...).") { paths, project, pool, dryRun };
        CliAction.Set(command, async (parse, cancellationToken) =>
        {
            var projectName = parse.GetValue(project)!;
            var output = Terminal.Out;
            var home = FlowCompilerOptions.DefaultWeirHome();
            var compiler = new FlowCompiler(new FlowCompilerOptions { WeirHome = home, Progress = line => Terminal.Error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]") });
            using var client = ServerApi.Client();
            var dry = parse.GetValue(dryRun);
            var planner = new DeploymentPlanner(StepRegistry.CreateDefault(), compiler, new HttpWorkerServer(client, home), Environment.GetEnvironmentVariable,
                line => Terminal.Error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]"))
            {
                DryRun = dry,
                References = new ReferenceCheck(client, ServerApi.Url),
            };

            var registrar = new FlowRegistrar(compiler, planner, client, Environment.CurrentDirectory, line => Terminal.Error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]"));
            output.WriteLine("Collecting flows...");
            var collected = new List<(string Path, IReadOnlyList<(string Flow, StorageDeclaration Storage)> Flows)>();
            var errors = 0;
            foreach (var path in parse.GetValue(paths)!)
            {
                try
                {
                    collected.Add((path, await registrar.CollectAsync(path, cancellationToken).ConfigureAwait(false)));
                }
                catch (Exception ex) when (ex is WeirException { IsUserError: true } or FileNotFoundException)
                {
                    output.WriteLine($"Error loading '{path}':");
                    output.WriteLine("  " + ex.Message);
                    errors++;
                }
            }

            var registered = 0;
            foreach (var (path, flows) in collected)
            {
                output.WriteLine($"Processing '{path}':");
                foreach (var (flow, declaration) in flows)
                {
                    // Building the storage runs its build and push steps, whose output comes here, after a whole line;
                    // "Registering" then waits only for the server.
                    output.WriteLine($"  Building `{declaration.Storage.Kind}` storage...");
                    DeploymentRequest spec;
                    try
                    {
                        spec = await registrar.PlanAsync(declaration, path, flow, projectName, parse.GetValue(pool)!, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (Describe(ex) is { } message)
                    {
                        output.WriteLine($"  Registering '{flow}'... Error");
                        output.WriteLine("    " + message);
                        errors++;
                        continue;
                    }

                    output.Write($"  Registering '{flow}'...");
                    if (dry)
                    {
                        output.WriteLine(" Dry run");
                        DeployCommand.PrintDryRun(spec);
                        registered++;
                        continue;
                    }

                    try
                    {
                        var request = spec;
                        var before = await client.GetDeploymentAsync(spec.FlowName, spec.Name, cancellationToken).ConfigureAwait(false);
                        var result = await client.DeployAsync(request, cancellationToken).ConfigureAwait(false);
                        output.WriteLine(" Done");
                        output.WriteLine($"  └── ID: {result.Deployment.Id}");
                        output.WriteLine($"  └── Version: {result.Deployment.Version}");
                        if (before is not null && !result.Created)
                        {
                            Terminal.Error.MarkupLine("[grey]" + Markup.Escape($"  {result.Deployment.FullName} {DeploymentChanges.Describe(before, request, result)}.") + "[/]");
                        }

                        registered++;
                    }
                    catch (Exception ex) when (Describe(ex) is { } message)
                    {
                        output.WriteLine(" Error");
                        output.WriteLine("    " + message);
                        errors++;
                    }
                }
            }

            var verb = dry ? "would be registered (dry run)" : "registered";
            output.WriteLine(Rule(errors == 0 ? $"{registered} {verb}" : $"{registered} {verb}, {errors} errored"));
            return errors == 0 ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }

    /// <summary>The seed's closing line: the count centred in a rule of '='.</summary>
    internal static string Rule(string text)
    {
        var padding = Math.Max(2, RuleWidth - text.Length - 2);
        return new string('=', padding / 2) + " " + text + " " + new string('=', padding - (padding / 2));
    }

    private static string? Describe(Exception ex) => ex switch
    {
        WeirException weir when weir.IsUserError => ex.Message,
        HttpRequestException http => $"Cannot reach the Weir server at {ServerApi.Url} ({http.Message}).",
        _ => null,
    };
}
