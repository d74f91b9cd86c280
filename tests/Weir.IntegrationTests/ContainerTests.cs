using Xunit.Abstractions;

namespace Weir.IntegrationTests;

/// <summary>
/// The container pool end to end, on a real Docker daemon and registry: weir deploy builds an image
/// with the code and the Weir runner baked in and pushes it with a credentials block; a
/// <c>weir worker start --type container</c> pulls it and runs each flow in a container.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerTests(ContainerFixture fixture, ITestOutputHelper output)
{
    public static string Flows(string marker) => $$"""
        using Weir;
        public static class Jobs
        {
            [Task]
            public static string Greet(string name) =>
                $"hello {name} ({{marker}}), GREETING={Environment.GetEnvironmentVariable("GREETING")}, in {Environment.CurrentDirectory}, secret file there: {File.Exists("notes.secret")}";

            [Task]
            public static void Nap() => Thread.Sleep(TimeSpan.FromMinutes(5));

            [Task]
            public static void Quit() => Environment.Exit(42);

            [Flow("hello")]
            public static void Hello(string name = "container") => Console.WriteLine(Greet(name));

            [Flow("sleep")]
            public static void Sleep() => Nap();

            [Flow("linger")]
            public static void Linger(int seconds = 20)
            {
                Console.WriteLine("linger started");
                Thread.Sleep(TimeSpan.FromSeconds(seconds));
                Console.WriteLine($"lingered {seconds} s");
            }

            [Flow("exit")]
            public static void Exit() => Quit();
        }
        """;

    private async Task<FlowRunDto> StartAsync(string deployment, JsonObject? parameters = null) =>
        await fixture.Client.CreateRunAsync(deployment.Split('/')[0], deployment.Split('/')[1], parameters, CancellationToken.None);

    private async Task<string> LogsAsync(Guid id) =>
        string.Join('\n', (await fixture.Client.LogsAsync(id, 0, 1000, CancellationToken.None)).Select(l => l.Message));

    private async Task<string> ContainersOfAsync(Guid id) =>
        (await fixture.DockerAsync(["ps", "--all", "--quiet", "--filter", "label=weir.flow-run-id=" + id])).Output.Trim();

    /// <summary>The flow reports its final state from inside the container just before it exits; the worker then removes the container.</summary>
    private async Task<string> ContainersLeftAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string left;
        while ((left = await ContainersOfAsync(id)).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return left;
    }

    [Fact]
    public async Task Deploy_BuildsAndPushesTheImageWithTheCodeMinusWeirignore()
    {
        output.WriteLine(fixture.Timings);
        fixture.DeployOutput.ShouldContain($"Building {fixture.Image} from {ContainerFixture.BaseImage}");
        fixture.DeployOutput.ShouldContain($"Logging in to {fixture.Registry} as weir-pusher.");
        fixture.DeployOutput.ShouldContain($"Pushing {fixture.Image}.");
        fixture.DeployOutput.ShouldContain("Deployment hello/hello created");
        var deployment = (await fixture.Client.GetDeploymentAsync("hello", "hello", CancellationToken.None))!;
        deployment.JobVariables!["image"]!.GetValue<string>().ShouldBe(fixture.Image);
        deployment.PullSteps.ToJsonString().ShouldContain("/opt/weir/project");
        deployment.PullSteps.ToJsonString().ShouldNotContain("pw-");
    }

    [Fact]
    public async Task DeploymentRun_RunsInAContainerFromTheRegistryImage_CompletesWithLogs_AndLeavesNoContainer()
    {
        var run = await StartAsync("hello/hello", new JsonObject { ["name"] = "weir" });

        var done = await fixture.WaitForAsync(run.Id, StateType.Completed, StateType.Failed, StateType.Crashed);

        var logs = await LogsAsync(run.Id);
        done.State.ShouldBe(StateType.Completed, $"{done.StateMessage}\nlogs:\n{logs}\nworker:\n{fixture.WorkerLog}");
        logs.ShouldContain("hello weir (baked into v1), GREETING=from-job-variables, in /opt/weir/project, secret file there: False");
        logs.ShouldContain("set_working_directory");
        done.ContentHash.ShouldNotBeNull();
        fixture.WorkerLog.ShouldContain($"starting container weir-{run.Id:N}-");
        (await ContainersLeftAsync(run.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SourceEditedAfterDeploy_TheRunStillExecutesTheImagesCode()
    {
        await ProjectFiles.WriteFlowAsync(fixture.Project, "jobs.cs", Flows("edited on disk, not in any image"));

        var run = await StartAsync("hello/hello");
        var done = await fixture.WaitForAsync(run.Id, StateType.Completed, StateType.Failed, StateType.Crashed);

        var logs = await LogsAsync(run.Id);
        done.State.ShouldBe(StateType.Completed, $"{done.StateMessage}\n{logs}\n{fixture.WorkerLog}");
        logs.ShouldContain("hello container (baked into v1)");
        logs.ShouldNotContain("edited on disk");
    }

    [Fact]
    public async Task Cancel_KillsTheContainer_AndTheRunIsCancelled()
    {
        var run = await StartAsync("sleep/sleep");
        var running = await fixture.WaitForAsync(run.Id, StateType.Running, StateType.Failed, StateType.Crashed);
        running.State.ShouldBe(StateType.Running, $"{running.StateMessage}\n{fixture.WorkerLog}");
        (await ContainersOfAsync(run.Id)).ShouldNotBeEmpty();

        var asked = DateTime.UtcNow;
        await fixture.Client.CancelAsync(run.Id, CancellationToken.None);
        var done = await fixture.WaitForAsync(run.Id, StateType.Cancelled, StateType.Completed, StateType.Failed, StateType.Crashed);

        done.State.ShouldBe(StateType.Cancelled, $"{done.StateMessage}\n{fixture.WorkerLog}");
        (DateTime.UtcNow - asked).ShouldBeLessThan(TimeSpan.FromSeconds(30));
        (await ContainersLeftAsync(run.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task FlowExitsWithAnOddCode_TheRunIsCrashedNamingTheContainer()
    {
        var run = await StartAsync("exit/exit");

        var done = await fixture.WaitForAsync(run.Id, StateType.Completed, StateType.Failed, StateType.Crashed);

        done.State.ShouldBe(StateType.Crashed, $"{done.StateMessage}\n{fixture.WorkerLog}");
        done.StateMessage.ShouldNotBeNull().ShouldContain($"The flow container weir-{run.Id:N}-");
        done.StateMessage.ShouldContain("ended unexpectedly with exit code 42");
        (await ContainersLeftAsync(run.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CompileCache_ASecondRunOfTheImageTakesTheBuildFromTheVolume_WithoutItEveryRunCompiles()
    {
        async Task<(double Seconds, string Logs)> TimedAsync(string deployment)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var run = await StartAsync(deployment);
            var done = await fixture.WaitForAsync(run.Id, StateType.Completed, StateType.Failed, StateType.Crashed);
            var seconds = clock.Elapsed.TotalSeconds;
            var logs = await LogsAsync(run.Id);
            done.State.ShouldBe(StateType.Completed, $"{done.StateMessage}\n{logs}\n{fixture.WorkerLog}");
            return (seconds, logs);
        }

        var uncached = new List<double>();
        for (var i = 0; i < 2; i++)
        {
            var (seconds, logs) = await TimedAsync("hello/hello-nocache");
            logs.ShouldContain("Compiled flows/jobs.cs in");
            uncached.Add(seconds);
        }

        await TimedAsync("hello/hello"); // fills the volume, if no earlier run did
        var cached = new List<double>();
        for (var i = 0; i < 2; i++)
        {
            var (seconds, logs) = await TimedAsync("hello/hello");
            logs.ShouldContain("Build of flows/jobs.cs taken from the compile cache.");
            cached.Add(seconds);
        }

        output.WriteLine($"run wall time (create -> Completed), compile in the container: {string.Join(", ", uncached.Select(s => s.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} s; "
            + $"build from the compile-cache volume: {string.Join(", ", cached.Select(s => s.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} s");
        (await fixture.DockerAsync(["volume", "ls", "--quiet", "--filter", "label=weir.compile-cache"])).Output.ShouldStartWith("weir-compile-cache-");
    }

    [Fact]
    public async Task DeploymentWithoutImage_FailsBeforeAnyContainer_NamingTheJobVariable()
    {
        var run = await StartAsync("hello/no-image");

        var done = await fixture.WaitForAsync(run.Id, StateType.Completed, StateType.Failed, StateType.Crashed);

        done.State.ShouldBe(StateType.Failed);
        done.StateMessage.ShouldNotBeNull().ShouldContain("Deployment 'hello/no-image' names no image for the container pool: set work_pool.job_variables.image");
    }
}
