using Weir.Storage.Config;
using Weir.Storage.Steps;
using Weir.Storage.Templating;

namespace Weir.Storage.Tests.Git;

/// <summary>The <c>git_clone</c> step with an <c>ssh-key</c> block against a real sshd on 127.0.0.1.</summary>
[Collection(SshServerCollection.Name)]
public sealed class GitCloneSshTests(SshServerFixture server) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-ssh-clone-").FullName;
    private readonly List<string> _printed = [];

    private async Task<(StepContext Context, IReadOnlyDictionary<string, object?> Outputs)> CloneAsync(string repository, string privateKey)
    {
        var context = new StepContext(Directory.CreateDirectory(Path.Combine(_root, "runs", Guid.NewGuid().ToString("N"))).FullName, Path.Combine(_root, "cache")) { Output = _printed.Add };
        var scope = new TemplateScope();
        var key = string.Join('\n', privateKey.TrimEnd().Split('\n').Select(l => "          " + l));
        var yaml = $"- git_clone:\n    id: clone\n    repository: {server.Url(repository)}\n    credentials:\n      _block_type: ssh-key\n      _block_name: deploy-key\n      private_key: |\n{key}\n";
        await new StepRunner(StepRegistry.CreateDefault()).RunAsync(StepDefinition.ReadList(YamlConfigReader.Read(yaml, "weir.yaml"), "pull"), context, scope, CancellationToken.None);
        return (context, scope.StepOutputs["clone"]);
    }

    [Fact]
    public async Task Clone_WithAnSshKeyBlock_ChecksOutTheRepository_AndLeavesNoKeyBehind()
    {
        var sha = await server.CommitAsync("app", new Dictionary<string, string> { ["flows/my_flow.cs"] = "// over ssh" });

        var (context, outputs) = await CloneAsync("app", server.ClientKey);

        outputs["commit"].ShouldBe(sha);
        (await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, "flows/my_flow.cs"))).ShouldBe("// over ssh");
        var keyLine = server.ClientKey.Split('\n')[1];
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            (await File.ReadAllTextAsync(file)).ShouldNotContain(keyLine, Case.Sensitive, file);
        }

        _printed.ShouldAllBe(l => !l.Contains(keyLine, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clone_WithAKeyTheServerDoesNotAccept_SaysAuthenticationFailedForTheUrl()
    {
        await server.CommitAsync("locked", new Dictionary<string, string> { ["a.cs"] = "//" });
        var other = Path.Combine(_root, "other_key");
        await Shell.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other);

        var error = await Should.ThrowAsync<StepFailedException>(() => CloneAsync("locked", File.ReadAllText(other)));

        error.Message.ShouldBe($"pull step 1 'git_clone' (id 'clone') at weir.yaml:1:3 failed: authentication failed for {server.Url("locked")}: the server refused the SSH key; check that it is valid and may read this repository.");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
