namespace Weir.Storage.Git;

/// <summary>A repository address: https, http, ssh, or scp-like <c>git@host:org/repo.git</c>, shown without credentials.</summary>
internal sealed record GitUrl(string Url, string Host, string Name, bool IsSsh)
{
    /// <summary>The host as git names it to a credential helper: with the port when there is one.</summary>
    public string Authority { get; init; } = Host;

    public static GitUrl Parse(string repository)
    {
        repository = repository.Trim();
        if (repository.Length == 0)
        {
            throw new GitException("'repository' is empty.");
        }

        if (Uri.TryCreate(repository, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "file")
        {
            if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                // A password in the URL would end up in .git/config and in process listings.
                throw new GitException($"the repository URL {uri.Scheme}://{uri.Authority}{uri.PathAndQuery} holds a password or token; put it in 'access_token' or a credentials block instead.");
            }

            return new GitUrl(repository, uri.Host, NameOf(uri.AbsolutePath), uri.Scheme == "ssh") { Authority = uri.IsDefaultPort ? uri.Host : uri.Authority };
        }

        // scp-like: user@host:path
        var at = repository.IndexOf('@', StringComparison.Ordinal);
        var colon = repository.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !repository.Contains("://", StringComparison.Ordinal))
        {
            var host = repository[(at + 1)..colon];
            return new GitUrl(repository, host, NameOf(repository[(colon + 1)..]), true);
        }

        if (Directory.Exists(repository))
        {
            return new GitUrl(Path.GetFullPath(repository), "localhost", NameOf(repository), false);
        }

        throw new GitException($"'{repository}' is not a repository URL; write https://host/org/repo.git or git@host:org/repo.git.");
    }

    public override string ToString() => Url;

    private static string NameOf(string path)
    {
        var name = path.TrimEnd('/').Split('/').LastOrDefault(p => p.Length > 0) ?? "repository";
        return name.EndsWith(".git", StringComparison.Ordinal) ? name[..^4] : name;
    }
}
