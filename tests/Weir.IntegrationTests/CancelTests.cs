namespace Weir.IntegrationTests;

/// <summary>Cancelling a run while a task is going, through the real CLI, server and worker.</summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class CancelTests(ServerAndWorkerFixture fixture) : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("weir-itest-cancel-").FullName;

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public async Task Cancel_WhenTaskRunning_EndsTaskCancelled_AndSaysCancelledOnce()
    {
        await ProjectFiles.WriteFlowAsync(_project, "slow.cs", """
            using Weir;
            public static class Slow
            {
                [Task]
                public static void Quick() => Console.WriteLine("quick done");

                [Task]
                public static void Sleep()
                {
                    Console.WriteLine("sleeping");
                    Thread.Sleep(TimeSpan.FromMinutes(5));
                }

                [Flow("slow")]
                public static void Run()
                {
                    Quick();
                    Sleep();
                }
            }
            """);
        await ProjectFiles.WriteWeirYamlAsync(_project, $$"""
            name: itest-cancel
            deployments:
            - name: cancel
              entrypoint: flows/slow.cs:slow
              work_pool: { name: {{ServerAndWorkerFixture.Pool}} }
            """);
        var deploy = await fixture.Cli.RunAsync(_project, "deploy", "cancel");
        deploy.ExitCode.ShouldBe(0, deploy.Stderr + deploy.Stdout);
        var run = await fixture.Client.CreateRunAsync("slow", "cancel", null, CancellationToken.None);

        await WaitAsync(async () => (await fixture.Client.TaskRunsAsync(run.Id, CancellationToken.None)).Any(t => t.TaskKey == "Sleep-0" && t.State == StateType.Running), "the Sleep task to run");
        var cancel = await fixture.Cli.RunAsync(_project, "flow-run", "cancel", run.Id.ToString());
        cancel.ExitCode.ShouldBe(0, cancel.Stdout + cancel.Stderr);
        await WaitAsync(async () => (await fixture.Client.GetRunAsync(run.Id, CancellationToken.None))!.State.IsTerminal(), "the run to end");

        var ended = (await fixture.Client.GetRunAsync(run.Id, CancellationToken.None))!;
        ended.State.ShouldBe(StateType.Cancelled, fixture.WorkerLog);
        ended.StateMessage.ShouldNotBeNull().ShouldStartWith("The flow process (PID ");
        var tasks = await fixture.Client.TaskRunsAsync(run.Id, CancellationToken.None);
        tasks.Select(t => (t.TaskKey, t.State)).ShouldBe([("Quick-0", StateType.Completed), ("Sleep-0", StateType.Cancelled)]);
        tasks[1].StateMessage.ShouldBe("Its flow run ended Cancelled before it finished.");

        var watch = await fixture.Cli.RunAsync(_project, "flow-run", "watch", run.Id.ToString());
        watch.ExitCode.ShouldBe(1, watch.Stdout + watch.Stderr);
        watch.Stdout.ShouldContain("Cancelled: The flow process (PID ");
        watch.Stdout.ShouldNotContain("Cancelled: Cancelled");
    }

    private static Task WaitAsync(Func<Task<bool>> condition, string what) =>
        Poll.UntilAsync(condition, what, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200));
}
