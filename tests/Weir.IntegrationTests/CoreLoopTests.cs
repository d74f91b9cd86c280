namespace Weir.IntegrationTests;

/// <summary>
/// The seeds' core loop, end to end: deploy once from weir.yaml (local folder storage), then a real
/// worker process pulls, compiles and runs the code for every run, with no re-deploy for task edits.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class CoreLoopTests(ServerAndWorkerFixture fixture) : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("weir-itest-project-").FullName;

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private static string Flow(string printed, string parameter = "int limit = 5", string extra = "") => ExampleFlow.Source(printed, parameter: parameter, extra: extra);

    private async Task DeployAsync(string deployment, string source, string settings = "")
    {
        await ProjectFiles.WriteFlowAsync(_project, "my_flow.cs", source);
        await ProjectFiles.WriteWeirYamlAsync(_project, $$"""
            name: itest
            deployments:
            - name: {{deployment}}
              entrypoint: flows/my_flow.cs:example
              work_pool: { name: {{ServerAndWorkerFixture.Pool}} }
              parameters: { limit: 3 }
            {{settings}}
            """);
        var deploy = await fixture.Cli.RunAsync(_project, "deploy", deployment);
        deploy.ExitCode.ShouldBe(0, deploy.Stderr + deploy.Stdout);
        deploy.Stdout.ShouldContain($"Deployment example/{deployment} ");
    }

    private Task<ProcessResult> RunAsync(string deployment) =>
        fixture.Cli.RunAsync(_project, "deployment", "run", $"example/{deployment}", "--watch");

    [Fact]
    public async Task Deploy_ThenEditATaskBody_TheNextRunUsesTheNewCodeWithoutRedeploy()
    {
        await DeployAsync("edit", Flow("first"));

        var first = await RunAsync("edit");
        first.ExitCode.ShouldBe(0, first.Stdout + first.Stderr + fixture.WorkerLog);
        first.Stdout.ShouldContain("Task run 'PrintData-0' - first: 1, 2, 3");
        first.Stdout.ShouldContain("ended Completed");

        await ProjectFiles.WriteFlowAsync(_project, "my_flow.cs", Flow("second"));
        var second = await RunAsync("edit");
        second.ExitCode.ShouldBe(0, second.Stdout + second.Stderr);
        second.Stdout.ShouldContain("Task run 'PrintData-0' - second: 1, 2, 3");

        var runs = await fixture.Client.ListRunsAsync(50, CancellationToken.None);
        var latest = runs.First(r => r.DeploymentName == "example/edit");
        latest.State.ShouldBe(StateType.Completed);
        latest.ContentHash.ShouldNotBeNull();
        var logs = await fixture.Client.LogsAsync(latest.Id, 0, 1000, CancellationToken.None);
        logs.ShouldContain(l => l.Message == "second: 1, 2, 3");
        (await fixture.Client.TaskRunsAsync(latest.Id, CancellationToken.None)).Select(t => (t.TaskKey, t.State)).ShouldBe([("GetData-0", StateType.Completed), ("PrintData-0", StateType.Completed)]);
    }

    [Fact]
    public async Task ParameterTypeChangedAfterDeploy_TheRunFailsBeforeAnyTaskWithDiffAndCommand()
    {
        await DeployAsync("params", Flow("ok"));
        await ProjectFiles.WriteFlowAsync(_project, "my_flow.cs", Flow("never", parameter: "string limit = \"5\""));

        var run = await RunAsync("params");

        run.ExitCode.ShouldBe(1);
        run.Stdout.ShouldContain("Failed: The parameters of flow 'example' (flows/my_flow.cs:example) changed since it was deployed, so this run cannot start:");
        run.Stdout.ShouldContain("- limit: int = 5");
        run.Stdout.ShouldContain("+ limit: string = \"5\"");
        run.Stdout.ShouldContain("Re-deploy to record the new parameters: weir deploy params");
        run.Stdout.ShouldNotContain("never:");
        var failed = (await fixture.Client.ListRunsAsync(50, CancellationToken.None)).First(r => r.DeploymentName == "example/params");
        (await fixture.Client.TaskRunsAsync(failed.Id, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TaskCallAddedAfterDeploy_TheRunCompletesWithADriftWarning()
    {
        await DeployAsync("drift", Flow("ok"));
        await ProjectFiles.WriteFlowAsync(_project, "my_flow.cs", Flow("drifted", extra: "\n        Extra();"));

        var run = await RunAsync("drift");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr);
        run.Stdout.ShouldContain("Task run 'Extra-0' - extra task ran");
        run.Stdout.ShouldContain("Structure drift: flow 'example' now calls GetData → PrintData → Extra; the deployment recorded GetData → PrintData.");
        var latest = (await fixture.Client.ListRunsAsync(50, CancellationToken.None)).First(r => r.DeploymentName == "example/drift");
        latest.DriftWarning.ShouldNotBeNull().ShouldContain("weir deploy drift");
    }

    [Fact]
    public async Task FlowProcessKilledWithSigkill_IsCrashedAndRunAgainWhenRetriesAllow()
    {
        await DeployAsync("crash", FailsOnce(Path.Combine(_project, "crashed-once"), """
            System.Diagnostics.Process.GetCurrentProcess().Kill(); // SIGKILL on Unix
            Thread.Sleep(5000);
            """), "  retries: 1");

        var (output, latest) = await RunToASecondAttemptAsync("crash");

        output.ShouldContain("Crashed: The flow process (PID ");
        output.ShouldContain("exit code 137 (signal 9, SIGKILL)");
        output.ShouldContain("Scheduled: Re-scheduled after the crash: attempt 2 of 2.");
        latest.RunCount.ShouldBe(2);
    }

    [Fact]
    public async Task ADeploymentWithFlowRetries_RunsAFailedFlowAgainInTheSameProcess()
    {
        await DeployAsync("retry", FailsOnce(Path.Combine(_project, "failed-once"), """throw new InvalidOperationException("first attempt fails");"""),
            "  retries: 1\n  retry_delay_seconds: 0");

        var (output, latest) = await RunToASecondAttemptAsync("retry");

        output.ShouldContain("first attempt fails");
        output.ShouldContain("Retrying");
        var history = await fixture.Client.RunHistoryAsync(latest.Id, CancellationToken.None);
        history.Select(h => h.Type).ShouldContain(StateType.Retrying);
    }

    /// <summary>A flow whose task runs <paramref name="firstAttempt"/> the first time (after leaving <paramref name="marker"/>) and prints "second attempt" the next.</summary>
    private static string FailsOnce(string marker, string firstAttempt) => $$"""
        using Weir;
        public static class MyFlow
        {
            [Task]
            public static string Work()
            {
                if (!File.Exists("{{marker}}"))
                {
                    File.WriteAllText("{{marker}}", "x");
                    {{firstAttempt}}
                }

                return "second attempt";
            }

            [Flow("example")]
            public static void Example(int limit = 5) => Console.WriteLine(Work());
        }
        """;

    /// <summary>Runs the deployment, checked to complete with its second attempt's output; what the CLI printed and the run.</summary>
    private async Task<(string Output, FlowRunDto Run)> RunToASecondAttemptAsync(string deployment)
    {
        var run = await RunAsync(deployment);

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        run.Stdout.ShouldContain("Flow run - second attempt");
        var latest = (await fixture.Client.ListRunsAsync(50, CancellationToken.None)).First(r => r.DeploymentName == "example/" + deployment);
        latest.State.ShouldBe(StateType.Completed);
        return (run.Stdout, latest);
    }

    [Fact]
    public async Task WorkerRun_WhenAFlowFormatsWithAGermanCulture_UsesTheCulturesData()
    {
        await DeployAsync("culture", """
            using System.Globalization;
            using Weir;
            public static class MyFlow
            {
                [Task]
                public static string Format(double amount) =>
                    amount.ToString("N2", new CultureInfo("de-DE")) + " | " + new DateTime(2026, 3, 1).ToString("D", new CultureInfo("de-DE"));

                [Flow("example")]
                public static void Example(int limit = 5) => Console.WriteLine(Format(1234.5));
            }
            """);

        var run = await RunAsync("culture");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        run.Stdout.ShouldContain("Flow run - 1.234,50 | Sonntag, 1. März 2026");
    }

    [Fact]
    public async Task AScheduledDeployment_IsRunByTheWorkerOnItsSchedule_AndRemovingTheScheduleRemovesItsFutureRuns()
    {
        await DeployAsync("scheduled", Flow("scheduled"), "  schedules:\n  - interval: 2");

        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        List<Weir.Client.FlowRunDto> completed;
        do
        {
            await Task.Delay(500);
            completed = [.. (await fixture.Client.ListRunsAsync(500, CancellationToken.None))
                .Where(r => r.DeploymentName == "example/scheduled" && r.State == StateType.Completed)];
        }
        while (completed.Count < 2 && DateTimeOffset.UtcNow < deadline);

        completed.Count.ShouldBeGreaterThanOrEqualTo(2, fixture.WorkerLog);
        completed.ShouldAllBe(r => r.ScheduledFor != null);
        var logs = await fixture.Client.LogsAsync(completed[0].Id, 0, 1000, CancellationToken.None);
        logs.ShouldContain(l => l.Message == "scheduled: 1, 2, 3");

        await DeployAsync("scheduled", Flow("scheduled"));
        var left = (await fixture.Client.ListRunsAsync(1000, CancellationToken.None))
            .Where(r => r.DeploymentName == "example/scheduled" && r.State == StateType.Scheduled);
        left.ShouldBeEmpty();
    }
}
