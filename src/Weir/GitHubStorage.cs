namespace Weir;

/// <summary>A flow kept in a GitHub repository (or GitHub Enterprise with <see cref="GitStorage.Host"/>).</summary>
/// <param name="repo">The repository, as <c>org/repo</c>.</param>
/// <param name="path">The flow file's path in the repository.</param>
public sealed class GitHubStorage(string repo, string path) : GitStorage(repo, path)
{
    /// <inheritdoc />
    public override string Kind => "GitHub";

    /// <inheritdoc />
    public override string RepositoryUrl => $"{BaseUrl("https://github.com")}/{Repo}.git";

    /// <inheritdoc />
    public override string CredentialsBlockType => "github-credentials";
}
