using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Weir.Cli.Commands;

namespace Weir.Cli;

/// <summary>The root of the <c>weir</c> command. Each sub-command lives in its own file under Commands/.</summary>
internal static class WeirCommand
{
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            UsageError.Print(parse);
            return ExitCodes.UsageError;
        }

        // The worker drains its runs on SIGTERM and Ctrl-C (up to --drain-seconds), so it takes the signals itself.
        var configuration = parse.CommandResult.Command == WorkerCommands.Start ? new InvocationConfiguration { ProcessTerminationTimeout = null } : null;
        return await parse.InvokeAsync(configuration).ConfigureAwait(false);
    }

    public static Command Build()
    {
        // Named weir whatever the executable is called (Weir.Cli, or dotnet Weir.Cli.dll): a RootCommand takes
        // its name from the executable, and help and usage lines would say Weir.Cli.
        var root = new Command("weir", "Weir: workflow orchestration for .NET. Flows are C# files that live where your code lives.")
        {
            new HelpOption(),
            new VersionOption(),
            GlobalOptions.Verbose,
        };
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(FlowRunCommands.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(ServerCommands.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(RegisterCommand.Create());
        root.Subcommands.Add(DeploymentCommands.Create());
        root.Subcommands.Add(WorkerCommands.Create());
        root.Subcommands.Add(SecretCommand.Create());
        root.Subcommands.Add(BlockCommands.Create());
        root.Subcommands.Add(VariableCommands.Create());
        root.Subcommands.Add(WorkPoolCommands.Create());
        root.Subcommands.Add(ProfileCommands.Create());
        return root;
    }
}
