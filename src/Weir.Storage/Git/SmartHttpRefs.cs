using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Weir.Storage.Git;

/// <summary>
/// Reads a repository's refs over git's smart HTTP protocol in this process (one GET of
/// <c>info/refs?service=git-upload-pack</c> on a kept-alive connection), which is what
/// <c>git ls-remote</c> does at the cost of starting git. The token goes in an Authorization header,
/// never in a URL or a log. Anything unexpected (another scheme, a refusal, TLS trouble, a response
/// it cannot read) answers null, and the caller asks git, whose errors are the ones users know.
/// </summary>
internal static class SmartHttpRefs
{
    private static readonly HttpClient s_http = new(new SocketsHttpHandler
    {
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        AllowAutoRedirect = true,
        AutomaticDecompression = DecompressionMethods.All,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { UserAgent = { new ProductInfoHeaderValue("git", "2.0-weir") } },
    };

    /// <summary>The SHA that <c>refs/heads/BRANCH</c> (or HEAD when <paramref name="branch"/> is null) points at; null when this cannot tell.</summary>
    public static async Task<string?> ResolveAsync(GitUrl url, GitCredentials credentials, string? branch, CancellationToken cancellationToken)
    {
        if (url.IsSsh || credentials.SshPrivateKey is not null
            || !Uri.TryCreate(url.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, uri.ToString().TrimEnd('/') + "/info/refs?service=git-upload-pack");
        if (credentials.Password is not null)
        {
            var pair = Encoding.UTF8.GetBytes($"{credentials.Username ?? "git"}:{credentials.Password}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
        }

        try
        {
            using var response = await s_http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK
                || response.Content.Headers.ContentType?.MediaType != "application/x-git-upload-pack-advertisement")
            {
                return null;
            }

            var refs = Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            return refs?.GetValueOrDefault(branch is null ? "HEAD" : "refs/heads/" + branch);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Reads the pkt-lines of a v0 ref advertisement into ref → SHA; null when it is not one.</summary>
    internal static Dictionary<string, string>? Parse(ReadOnlySpan<byte> body)
    {
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        var flushes = 0;
        while (body.Length >= 4)
        {
            if (!int.TryParse(Encoding.ASCII.GetString(body[..4]), System.Globalization.NumberStyles.HexNumber, null, out var length))
            {
                return null;
            }

            if (length == 0)
            {
                body = body[4..];
                if (++flushes == 2)
                {
                    return refs;
                }

                continue;
            }

            if (length < 4 || length > body.Length)
            {
                return null;
            }

            var line = Encoding.UTF8.GetString(body[4..length]).TrimEnd('\n');
            body = body[length..];
            if (line.StartsWith('#'))
            {
                continue;
            }

            var nul = line.IndexOf('\0', StringComparison.Ordinal);
            if (nul >= 0)
            {
                line = line[..nul];
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space != 40 && space != 64)
            {
                return null;
            }

            refs[line[(space + 1)..]] = line[..space];
        }

        return null;
    }
}
