using System.CommandLine;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir flow-run execute RUN_ID</c>: what a container runs for one flow run (the container pool's command).
/// It prepares the run itself (fetches the run and its deployment, runs the pull steps, compiles) and runs it,
/// all through the worker library (<see cref="Weir.Worker.Hosting.FlowProcessMain.ExecuteAsync"/>).
/// Exit codes: 0 Completed, 1 Failed or Cancelled, 2 could not start.
/// </summary>
internal static class FlowRunExecuteCommand
{
    public static Command Create()
    {
        var runId = new Argument<Guid>("flow-run-id") { Description = "The flow run's id." };
        var command = new Command("execute", "Prepare and run one flow run in this process (what a container pool's container runs).") { runId };
        command.Hidden = true;
        CliAction.Set(command, (parse, cancellationToken) => Weir.Worker.Hosting.FlowProcessMain.ExecuteAsync(parse.GetValue(runId), cancellationToken));
        return command;
    }
}
