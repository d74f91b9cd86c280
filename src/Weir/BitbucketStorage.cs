namespace Weir;

/// <summary>
/// A flow kept in a Bitbucket repository. On a Bitbucket Server (<see cref="GitStorage.Host"/> set)
/// workers clone <c>{Host}/scm/{project}/{repo}.git</c>; on Bitbucket Cloud <c>https://bitbucket.org/{project}/{repo}.git</c>.
/// </summary>
public sealed class BitbucketStorage : GitStorage
{
    /// <summary>Creates the storage.</summary>
    /// <param name="project">The project (Bitbucket Server) or workspace (Bitbucket Cloud) the repository resides in.</param>
    /// <param name="repo">The repository's name.</param>
    /// <param name="path">The flow file's path in the repository.</param>
    public BitbucketStorage(string project, string repo, string path)
        : base(repo, path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(project);
        Project = project;
    }

    /// <summary>The project (or workspace) the repository resides in.</summary>
    public string Project { get; }

    /// <inheritdoc />
    public override string Kind => "Bitbucket";

    /// <inheritdoc />
    public override string RepositoryUrl => Host is null
        ? $"https://bitbucket.org/{Project}/{Repo.Split('/')[^1]}.git"
        : $"{BaseUrl(Host)}/scm/{Project}/{Repo.Split('/')[^1]}.git";

    /// <inheritdoc />
    public override string CredentialsBlockType => "bitbucket-credentials";
}
