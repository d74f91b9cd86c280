namespace Weir.Storage.Git;

/// <summary>
/// What git is handed to authenticate: a user name and password for HTTPS, or an SSH private key.
/// Built from an <c>access_token</c> or a credentials block, formatted the way the host's kind expects.
/// </summary>
internal sealed record GitCredentials(string? Username, string? Password, string? SshPrivateKey, string? SshPassphrase)
{
    public static GitCredentials None { get; } = new(null, null, null, null);

    public bool IsNone => Password is null && SshPrivateKey is null;

    /// <summary>
    /// Added to "the server refused the token" when the user name was chosen without knowing the host's
    /// kind, so that a self-hosted GitLab or Bitbucket user learns how to say it. Null otherwise.
    /// </summary>
    public string? KindHint { get; init; }

    /// <summary>
    /// Formats credentials for a repository, the same way on every path. Any credentials block may give
    /// <c>username</c> and <c>password</c> (a Bitbucket app password, say), which are used as written. A token
    /// (<c>access_token</c>, or a block's <c>token</c>) that already holds <c>user:secret</c> is split there,
    /// so <c>oauth2:TOKEN</c> or a deploy token <c>deploy-user:TOKEN</c> is never prefixed again. A bare token
    /// goes with the block's <c>username</c>, else with the user name of the host's kind: GitHub
    /// <c>x-access-token</c>, GitLab <c>oauth2</c>, Bitbucket <c>x-token-auth</c>. The kind is the block's type
    /// (<c>gitlab-credentials</c>, ...) or <paramref name="provider"/> (which code-first storages write); without
    /// either, only github.com, gitlab.com and bitbucket.org are known, and any other host gets GitHub's form.
    /// </summary>
    public static GitCredentials From(GitUrl url, string? accessToken, IReadOnlyDictionary<string, object?>? block, string? provider)
    {
        var given = ParseProvider(provider);
        if (block is null)
        {
            return accessToken is { Length: > 0 } ? FromToken(accessToken, null, KindOf(url, given), "'access_token'") : None;
        }

        var type = Text(block, "_block_type") ?? "github-credentials";
        var name = Text(block, "_block_name") is { } n ? $"the {type} block '{n}'" : $"the {type} block given as 'credentials'";
        if (type == "ssh-key")
        {
            var key = Text(block, "private_key") ?? throw new GitException($"{name} has no 'private_key'.");
            return new GitCredentials(null, null, key, Text(block, "passphrase"));
        }

        GitHostKind? blockKind = type switch
        {
            "github-credentials" => GitHostKind.GitHub,
            "gitlab-credentials" => GitHostKind.GitLab,
            "bitbucket-credentials" => GitHostKind.Bitbucket,
            "secret" => null,
            _ => throw new GitException($"{name} cannot be used as git credentials; use a github-credentials, gitlab-credentials, bitbucket-credentials, ssh-key or secret block."),
        };
        if (blockKind is { } k && given is { } g && k != g)
        {
            throw new GitException($"the git_clone step says provider: {provider}, but its credentials are {name}; use a {Lower(g)}-credentials block, or drop 'provider'.");
        }

        var token = Text(block, "token") ?? Text(block, "access_token") ?? Text(block, "value");
        var username = Text(block, "username");
        var password = Text(block, "password");
        if (password is not null)
        {
            // A user name and password (or app password) are sent as written, on any kind of host.
            return token is not null
                ? throw new GitException($"{name} has both a token and a password; keep one (a token, or username and password).")
                : new GitCredentials(username ?? throw new GitException($"{name} has a 'password' but no 'username'; give the user name it belongs to."), password, null, null);
        }

        if (token is null)
        {
            throw new GitException($"{name} has no 'token' (or 'username' and 'password').");
        }

        return FromToken(token, username, KindOf(url, blockKind ?? given), name);
    }

    private static GitCredentials FromToken(string token, string? username, GitHostKind kind, string source)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var user = token[..colon];
            if (username is not null && username != user)
            {
                throw new GitException($"{source} has the username '{username}', but its token starts with '{user}:'; keep one of them.");
            }

            return new GitCredentials(user, token[(colon + 1)..], null, null);
        }

        return new GitCredentials(username ?? UserFor(kind), token, null, null)
        {
            KindHint = username is not null || kind != GitHostKind.Other
                ? null
                : "This host's kind was not given, so the token went as GitHub's does (user x-access-token); for a self-hosted GitLab or Bitbucket, "
                    + "add provider: gitlab or provider: bitbucket to the git_clone step, or use a gitlab-credentials or bitbucket-credentials block.",
        };
    }

    /// <summary>The kind given, else the kind of a public host, else <see cref="GitHostKind.Other"/>.</summary>
    private static GitHostKind KindOf(GitUrl url, GitHostKind? given) => given ?? url.Host.ToLowerInvariant() switch
    {
        "github.com" or "www.github.com" => GitHostKind.GitHub,
        "gitlab.com" or "www.gitlab.com" => GitHostKind.GitLab,
        "bitbucket.org" or "www.bitbucket.org" => GitHostKind.Bitbucket,
        _ => GitHostKind.Other,
    };

    private static string UserFor(GitHostKind kind) => kind switch
    {
        GitHostKind.GitLab => "oauth2",
        GitHostKind.Bitbucket => "x-token-auth",
        _ => "x-access-token",
    };

    private static GitHostKind? ParseProvider(string? provider) => provider?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "github" => GitHostKind.GitHub,
        "gitlab" => GitHostKind.GitLab,
        "bitbucket" => GitHostKind.Bitbucket,
        _ => throw new GitException($"'provider' is '{provider}'; write github, gitlab or bitbucket (the kind of git host, which decides how a token is sent)."),
    };

    private static string Lower(GitHostKind kind) => kind.ToString().ToLowerInvariant();

    private static string? Text(IReadOnlyDictionary<string, object?> block, string key) =>
        block.TryGetValue(key, out var value) && value is string { Length: > 0 } s ? s : null;
}
