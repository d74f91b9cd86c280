using Weir.Client;
using Weir.Server.Storage;

namespace Weir.Cli.Tests;

/// <summary><c>weir flow-run …</c> against a real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class FlowRunCommandTests(ServerFixture server)
{
    /// <summary>Three runs created in one moment: their ids start alike (a UUIDv7 begins with its time).</summary>
    private async Task<IReadOnlyList<FlowRunDto>> ThreeRunsAsync(string deployment)
    {
        var created = await server.Store.CreateRunsAsync([.. Enumerable.Repeat(new NewFlowRun { Deployment = await server.DeployAsync(deployment) }, 3)], CancellationToken.None);
        created.Select(r => r.Id.ToString("N")[..8]).Distinct().Count().ShouldBe(1, "the runs were created in one moment");
        foreach (var run in created)
        {
            await server.Store.ApplyBatchAsync(new EventBatch { Logs = [new LogDto(0, run.Id, null, DateTimeOffset.UtcNow, "INFO", "stdout", "log of " + run.ShortId)] }, CancellationToken.None);
        }

        return created;
    }

    [Fact]
    public async Task Logs_TakeTheShortIdTheIdOrAnyUniqueStartOfEither()
    {
        var runs = await ThreeRunsAsync("ids");
        var run = runs[1];
        runs.Select(r => r.ShortId).Distinct().Count().ShouldBe(3);

        foreach (var given in new[] { run.ShortId, run.ShortId[..6], run.ShortId.ToUpperInvariant(), run.Id.ToString(), run.Id.ToString("N"), run.Id.ToString()[..28], run.Id.ToString("N")[20..31] })
        {
            var (exit, stdout, stderr) = await server.WeirAsync(["flow-run", "logs", given]);
            exit.ShouldBe(0, given + ": " + stderr);
            stdout.ShouldContain("log of " + run.ShortId, customMessage: given);
            stdout.ShouldNotContain("log of " + runs[0].ShortId, customMessage: given);
        }
    }

    [Fact]
    public async Task AnAmbiguousStart_ListsTheRunsItFits()
    {
        var runs = await ThreeRunsAsync("ambiguous");
        var shared = runs[0].Id.ToString("N")[..8];

        var (exit, stdout, stderr) = await server.WeirAsync(["flow-run", "inspect", shared]);

        exit.ShouldBe(2, stdout + stderr);
        stderr.ShouldContain($"error: '{shared}' is the start of ");
        stderr.ShouldContain("flow runs' ids; give more of it, or the run's short id:");
        foreach (var run in runs)
        {
            stderr.ShouldContain($"  {run.ShortId}  {run.Id}  example/ambiguous  Scheduled  created ");
        }
    }

    [Fact]
    public async Task ABadOrUnknownId_IsOneLineError_NotTheHelp()
    {
        var bad = await server.WeirAsync(["flow-run", "logs", "not-an-id"]);
        bad.ExitCode.ShouldBe(2);
        bad.Stderr.Trim().ShouldBe("error: 'not-an-id' is not a flow run id or the start of one: ids are hexadecimal digits (0-9, a-f), as weir flow-run ls shows them.");
        bad.Stdout.ShouldBeEmpty();

        var unknown = await server.WeirAsync(["flow-run", "cancel", "00000000"]);
        unknown.ExitCode.ShouldBe(2);
        unknown.Stderr.Trim().ShouldBe("error: No flow run's id or short id starts with '00000000'; see weir flow-run ls.");
    }

    [Fact]
    public async Task Ls_ShowsTheShortIds()
    {
        var runs = await ThreeRunsAsync("listed");

        var (exit, stdout, stderr) = await server.WeirAsync(["flow-run", "ls", "--limit", "100"]);

        exit.ShouldBe(0, stderr);
        foreach (var run in runs)
        {
            stdout.ShouldContain(run.ShortId);
        }
    }
}
