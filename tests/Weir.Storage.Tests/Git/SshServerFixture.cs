namespace Weir.Storage.Tests.Git;

/// <summary>
/// A real git server over SSH on 127.0.0.1 (OpenSSH's sshd with its own host key, one accepted client
/// key), started once for the collection by tests/infra/ssh-server.sh and stopped by PID at the end.
/// </summary>
public sealed class SshServerFixture() : InfraServerFixture("ssh-server.sh")
{
    /// <summary><c>ssh://user@127.0.0.1:PORT</c>; a repository's URL adds its absolute path.</summary>
    public string BaseUrl => Endpoint;

    /// <summary>The private key the server accepts (OpenSSH format).</summary>
    public string ClientKey { get; private set; } = string.Empty;

    /// <summary>The ssh:// URL of a repository on this server.</summary>
    public string Url(string repository) => $"{BaseUrl}{Path.Combine(Directory, "repos", repository + ".git")}";

    /// <summary>Creates (or adds a commit to) a repository; returns the commit's SHA.</summary>
    public Task<string> CommitAsync(string repository, IReadOnlyDictionary<string, string> files) =>
        GitServerFixture.CommitToBareAsync(Path.Combine(Directory, "repos", repository + ".git"), "main", files);

    protected override async Task StartedAsync() => ClientKey = await File.ReadAllTextAsync(Path.Combine(Directory, "client_key"));
}
