namespace Weir.Storage.Git;

/// <summary>
/// What git is handed to authenticate: a user name and password for HTTPS, or an SSH private key.
/// Built from an <c>access_token</c> or a credentials block, formatted the way each host expects.
/// </summary>
internal sealed record GitCredentials(string? Username, string? Password, string? SshPrivateKey, string? SshPassphrase)
{
    public static GitCredentials None { get; } = new(null, null, null, null);

    public bool IsNone => Password is null && SshPrivateKey is null;

    /// <summary>
    /// Formats credentials for a repository. The credentials block's type decides the format (so
    /// self-hosted GitLab or Bitbucket Server work under any host name); a bare token is formatted
    /// by the host: GitHub token as password, GitLab <c>oauth2:TOKEN</c>, Bitbucket Cloud
    /// <c>x-token-auth:TOKEN</c>. A token that already holds <c>user:secret</c> is used as written.
    /// </summary>
    public static GitCredentials From(GitUrl url, string? accessToken, IReadOnlyDictionary<string, object?>? block)
    {
        if (block is not null)
        {
            var type = Text(block, "_block_type") ?? "github-credentials";
            var token = Text(block, "token") ?? Text(block, "access_token") ?? Text(block, "value");
            var username = Text(block, "username");
            switch (type)
            {
                case "ssh-key":
                    var key = Text(block, "private_key") ?? throw new GitException("the ssh-key block has no 'private_key'.");
                    return new GitCredentials(null, null, key, Text(block, "passphrase"));
                case "gitlab-credentials":
                    // Deploy tokens authenticate as their own user name; access tokens as oauth2.
                    return new GitCredentials(username ?? "oauth2", Token(token, type), null, null);
                case "bitbucket-credentials":
                    // Bitbucket Server (a user name is given) takes username:token; Bitbucket Cloud x-token-auth:token.
                    return new GitCredentials(username ?? "x-token-auth", Token(token, type), null, null);
                case "github-credentials":
                    return new GitCredentials(username ?? "x-access-token", Token(token, type), null, null);
                case "secret":
                    return FromToken(url, Token(token, type));
                default:
                    throw new GitException($"a {type} block cannot be used as git credentials; use github-credentials, gitlab-credentials, bitbucket-credentials, ssh-key or secret.");
            }
        }

        return accessToken is { Length: > 0 } ? FromToken(url, accessToken) : None;
    }

    private static GitCredentials FromToken(GitUrl url, string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            return new GitCredentials(token[..colon], token[(colon + 1)..], null, null);
        }

        var host = url.Host.ToLowerInvariant();
        var user = host.Contains("gitlab", StringComparison.Ordinal) ? "oauth2"
            : host.Contains("bitbucket", StringComparison.Ordinal) ? "x-token-auth"
            : "x-access-token";
        return new GitCredentials(user, token, null, null);
    }

    private static string Token(string? token, string type) =>
        token is { Length: > 0 } ? token : throw new GitException($"the {type} block has no 'token'.");

    private static string? Text(IReadOnlyDictionary<string, object?> block, string key) =>
        block.TryGetValue(key, out var value) && value is string { Length: > 0 } s ? s : null;
}
