namespace Weir;

/// <summary>A flow kept in a git repository; workers clone the repository for each run. Git storage keeps flows only as scripts.</summary>
public abstract class GitStorage : FlowStorage
{
    /// <summary>Creates the storage.</summary>
    /// <param name="repo">The repository, as <c>org/repo</c>.</param>
    /// <param name="path">The flow file's path in the repository; it must match the file exactly.</param>
    protected GitStorage(string repo, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repo);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Repo = repo;
        Path = path;
    }

    /// <summary>The repository, as <c>org/repo</c>.</summary>
    public string Repo { get; }

    /// <summary>The flow file's path in the repository.</summary>
    public string Path { get; }

    /// <summary>The branch workers check out. <value>Defaults to the repository's default branch.</value></summary>
    public string? Branch { get; init; }

    /// <summary>The host's base URL, for self-hosted servers. <value>Defaults to the public host (https://github.com, https://gitlab.com, https://bitbucket.org).</value></summary>
    public string? Host { get; init; }

    /// <summary>The name of a Secret block holding an access token, for a private repository. <value>Defaults to none (a public repository).</value></summary>
    public string? AccessTokenSecret { get; init; }

    /// <summary>The name of a credentials block of the host's type (<c>github-credentials</c>, <c>gitlab-credentials</c>, <c>bitbucket-credentials</c>), instead of <see cref="AccessTokenSecret"/>. <value>Defaults to none.</value></summary>
    public string? CredentialsBlock { get; init; }

    /// <summary>The URL workers clone.</summary>
    public abstract string RepositoryUrl { get; }

    /// <summary>The block type of <see cref="CredentialsBlock"/>.</summary>
    public abstract string CredentialsBlockType { get; }

    private protected string BaseUrl(string defaultHost) => (Host ?? defaultHost).TrimEnd('/');
}
