using System.CommandLine;
using Weir.Cli.Commands;

namespace Weir.Cli;

/// <summary>The root of the <c>weir</c> command. Each sub-command lives in its own file under Commands/.</summary>
internal static class WeirCommand
{
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Build();
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("Weir: workflow orchestration for .NET. Flows are C# files that live where your code lives.")
        {
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
        root.Subcommands.Add(AdminCommands.Blocks());
        root.Subcommands.Add(AdminCommands.Variables());
        root.Subcommands.Add(AdminCommands.Pools());
        return root;
    }
}
