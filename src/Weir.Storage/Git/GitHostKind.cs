namespace Weir.Storage.Git;

/// <summary>
/// The kind of git host, which decides the user name a bare token is sent with: GitHub (and any other
/// host) <c>x-access-token</c>, GitLab <c>oauth2</c>, Bitbucket <c>x-token-auth</c>. It comes from the
/// credentials block's type or the <c>git_clone</c> step's <c>provider</c>, never from the look of a host name;
/// only the public hosts themselves (github.com, gitlab.com, bitbucket.org) are known without being told.
/// </summary>
internal enum GitHostKind
{
    /// <summary>Not said, and not a public host: tokens go as GitHub's do (GitHub Enterprise, Gitea and most servers take them).</summary>
    Other,

    /// <summary>GitHub or GitHub Enterprise.</summary>
    GitHub,

    /// <summary>GitLab, on gitlab.com or self-hosted.</summary>
    GitLab,

    /// <summary>Bitbucket Cloud or Bitbucket Server.</summary>
    Bitbucket,
}
