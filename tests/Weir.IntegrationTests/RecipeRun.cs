namespace Weir.IntegrationTests;

/// <summary>
/// What the object-store recipe tests share: a new container (bucket) name, a project with a one-task flow that prints
/// <c>marker</c>, <c>weir init --recipe RECIPE --field ...</c>, <c>weir deploy</c> as
/// <c>example/init-RECIPE</c>, and <c>weir deployment run --watch</c>, each checked to succeed.
/// </summary>
internal static class RecipeRun
{
    /// <summary>A bucket or container name no other test uses.</summary>
    public static string NewContainerName() => "weir-" + Guid.NewGuid().ToString("N")[..12];

    public sealed record Result(ProcessResult Deploy, ProcessResult Run)
    {
        /// <summary>Everything the CLI and the worker printed, for secret checks.</summary>
        public string AllOutput(ServerAndWorkerFixture fixture) => Deploy.Stdout + Deploy.Stderr + Run.Stdout + Run.Stderr + fixture.WorkerLog;
    }

    public static async Task<Result> InitDeployAndRunAsync(ServerAndWorkerFixture fixture, string project, string recipe, string marker, params string[] fields)
    {
        Directory.CreateDirectory(Path.Combine(project, "flows"));
        await File.WriteAllTextAsync(Path.Combine(project, "flows", "my_flow.cs"), $$"""
            using Weir;
            public static class MyFlow
            {
                [Task]
                public static string Where() => "{{marker}}";

                [Flow("example")]
                public static void Example(int limit = 5) => Console.WriteLine(Where());
            }
            """);

        var init = await fixture.Cli.RunAsync(project, ["init", "--recipe", recipe, .. fields.SelectMany(f => new[] { "--field", f })]);
        init.ExitCode.ShouldBe(0, init.Stdout + init.Stderr);
        var deploy = await fixture.Cli.RunAsync(project, "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", "init-" + recipe, "--pool", ServerAndWorkerFixture.Pool);
        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);

        var run = await fixture.Cli.RunAsync(project, "deployment", "run", "example/init-" + recipe, "--watch");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        run.Stdout.ShouldContain(marker);
        return new Result(deploy, run);
    }
}
