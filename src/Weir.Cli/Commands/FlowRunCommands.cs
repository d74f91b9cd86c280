using System.CommandLine;

namespace Weir.Cli.Commands;

/// <summary><c>weir flow-run …</c>: the flow-run commands.</summary>
internal static class FlowRunCommands
{
    public static Command Create()
    {
        var command = new Command("flow-run", "Inspect, follow and cancel flow runs.");
        command.Subcommands.Add(FlowRunExecuteCommand.Create());
        return command;
    }
}
