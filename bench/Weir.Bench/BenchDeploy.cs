namespace Weir.Bench;

/// <summary>
/// Deploys the trivial flow once per <see cref="WeirMode"/> with the real <c>weir deploy</c>: local folder
/// storage (<c>set_working_directory</c>) in one project, and git-stored modes from a repository on a
/// <see cref="BenchGitServer"/> (a <c>git_clone</c> pull step whose token is a secret block, as users write it).
/// The pools of in-process modes are recorded as such (<c>weir work-pool create P --type in-process</c>).
/// </summary>
internal static class BenchDeploy
{
    /// <summary>The trivial flow every Weir case runs: one task.</summary>
    public const string TrivialFlow = SampleFlows.Trivial;

    private const string TokenBlock = "bench-git-token";

    public static async Task DeployAsync(string home, Uri server, IReadOnlyList<WeirMode> modes, BenchGitServer? git)
    {
        using var client = new WeirClient(server);
        var local = modes.Where(m => !m.GitStored).ToList();
        if (local.Count > 0)
        {
            var project = Path.Combine(home, "project");
            await WriteProjectAsync(project, local, $"""
                - set_working_directory:
                    directory: {project}
                """);
            await WeirDeployAsync(home, server, project);
        }

        var stored = modes.Where(m => m.GitStored).ToList();
        if (stored.Count > 0)
        {
            if (git is null)
            {
                throw new InvalidOperationException("A git-stored mode needs a BenchGitServer.");
            }

            await client.PutBlockAsync("secret", TokenBlock, new() { ["value"] = BenchGitServer.Token }, default);
            var project = Path.Combine(home, "git-project");
            const string Repository = "bench-flows";
            var token = "{{ weir.blocks.secret." + TokenBlock + " }}";
            await WriteProjectAsync(project, stored, $"""
                - git_clone:
                    repository: {git.UrlOf(Repository)}
                    branch: main
                    access_token: '{token}'
                """);
            await git.PublishAsync(Repository, project);
            await WeirDeployAsync(home, server, project);
        }

        foreach (var mode in modes.Where(m => m.PoolType != WorkPoolTypes.Process))
        {
            await client.PutPoolAsync(mode.Key, mode.PoolType, null, default);
        }
    }

    private static async Task WriteProjectAsync(string project, IReadOnlyList<WeirMode> modes, string pull)
    {
        await ProjectFiles.WriteFlowAsync(project, "trivial.cs", TrivialFlow);
        var deployments = string.Join("\n", modes.Select(m => $"""
            - name: {m.Key}
              entrypoint: flows/trivial.cs:trivial
              work_pool:
                name: {m.Key}
            """));
        await ProjectFiles.WriteWeirYamlAsync(project, $"""
            name: bench
            pull:
            {pull}
            deployments:
            {deployments}
            """);
    }

    private static Task<string> WeirDeployAsync(string home, Uri server, string project) =>
        Shell.RunAsync(BenchProcesses.Cli(Path.Combine(home, "cli"), server).StartInfo(project, ["deploy", "--all"]));
}
