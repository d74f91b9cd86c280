namespace Weir;

/// <summary>A flow kept in a GitLab repository (gitlab.com, or a self-hosted GitLab with <see cref="GitStorage.Host"/>).</summary>
/// <param name="repo">The project, as <c>group/project</c>.</param>
/// <param name="path">The flow file's path in the repository.</param>
public sealed class GitLabStorage(string repo, string path) : GitStorage(repo, path)
{
    /// <inheritdoc />
    public override string Kind => "GitLab";

    /// <inheritdoc />
    public override string RepositoryUrl => $"{BaseUrl("https://gitlab.com")}/{Repo}.git";

    /// <inheritdoc />
    public override string CredentialsBlockType => "gitlab-credentials";
}
