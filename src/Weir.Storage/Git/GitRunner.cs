using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Weir.Storage.Git;

/// <summary>
/// Runs the git command line. Credentials reach git only through its environment: a credential
/// helper written inline in <c>GIT_CONFIG_*</c> variables prints them from two more environment
/// variables, so no token is ever in an argument list, in <c>.git/config</c> or on disk.
/// </summary>
internal sealed class GitRunner(GitCredentials credentials, string host, Action<string>? trace = null) : IDisposable
{
    // Answers only for the repository's own host (submodules there get the same credentials; other hosts get none).
    private const string Helper = "!f() { test \"$1\" = get || exit 0; h=; while IFS= read -r l; do case \"$l\" in host=*) h=\"${l#host=}\";; esac; done; "
        + "test \"$h\" = \"$WEIR_GIT_HOST\" && printf 'username=%s\\npassword=%s\\n' \"$WEIR_GIT_USERNAME\" \"$WEIR_GIT_PASSWORD\"; }; f";
    private string? _keyFolder;

    public async Task<string> RunAsync(string? workingDirectory, GitUrl url, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Configure(start.Environment);
        trace?.Invoke("git " + string.Join(' ', arguments));
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new GitException($"cannot run git ({ex.Message}); install it (apt-get install git) and make sure it is on PATH.");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new GitException(Explain(url, arguments[0], errors));
        }

        return output;
    }

    public void Dispose()
    {
        if (_keyFolder is not null)
        {
            Directory.Delete(_keyFolder, recursive: true);
            _keyFolder = null;
        }
    }

    private void Configure(IDictionary<string, string?> environment)
    {
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["GIT_ASKPASS"] = "/bin/false";
        environment["SSH_ASKPASS"] = "/bin/false";
        environment["LC_ALL"] = "C";

        // Reset inherited helpers, then add ours (an empty value clears the list).
        environment["GIT_CONFIG_COUNT"] = "2";
        environment["GIT_CONFIG_KEY_0"] = "credential.helper";
        environment["GIT_CONFIG_VALUE_0"] = string.Empty;
        environment["GIT_CONFIG_KEY_1"] = "credential.helper";
        environment["GIT_CONFIG_VALUE_1"] = credentials.Password is null ? string.Empty : Helper;
        if (credentials.Password is not null)
        {
            environment["WEIR_GIT_USERNAME"] = credentials.Username ?? "git";
            environment["WEIR_GIT_PASSWORD"] = credentials.Password;
            environment["WEIR_GIT_HOST"] = host;
        }

        if (credentials.SshPrivateKey is not null)
        {
            environment["GIT_SSH_COMMAND"] = $"ssh -i '{KeyFile()}' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile='{Path.Combine(_keyFolder!, "known_hosts")}'";
        }
    }

    private string KeyFile()
    {
        if (_keyFolder is null)
        {
            // ssh reads keys only from files: a private folder outside the run folder, removed on dispose.
            _keyFolder = Directory.CreateTempSubdirectory("weir-ssh-").FullName;
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_keyFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var key = Path.Combine(_keyFolder, "id");
            File.WriteAllText(key, credentials.SshPrivateKey!.TrimEnd() + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return Path.Combine(_keyFolder, "id");
    }

    private string Explain(GitUrl url, string verb, string errors)
    {
        var text = errors.Trim();
        if (credentials.Password is { Length: > 0 } password)
        {
            text = text.Replace(password, "********", StringComparison.Ordinal);
        }

        if (text.Contains("Authentication failed", StringComparison.Ordinal) || text.Contains("could not read Username", StringComparison.Ordinal)
            || text.Contains("403", StringComparison.Ordinal) || text.Contains("Permission denied (publickey", StringComparison.Ordinal))
        {
            return credentials.IsNone
                ? $"authentication failed for {url}: the repository needs credentials; give 'access_token' or 'credentials' (a github-credentials, gitlab-credentials, bitbucket-credentials, ssh-key or secret block)."
                : credentials.SshPrivateKey is not null
                    ? $"authentication failed for {url}: the server refused the SSH key; check that it is valid and may read this repository."
                    : $"authentication failed for {url}: the server refused the token (sent as user '{credentials.Username}'); check that it is valid and may read this repository."
                        + (credentials.KindHint is { } hint ? " " + hint : string.Empty);
        }

        if (text.Contains("not found", StringComparison.OrdinalIgnoreCase) || text.Contains("does not appear to be a git repository", StringComparison.Ordinal))
        {
            return $"the repository {url} was not found (or the credentials may not see it): {LastLine(text)}";
        }

        return $"git {verb} failed for {url}: {LastLine(text)}";
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fatal = lines.LastOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal));
        return new StringBuilder(fatal ?? lines.LastOrDefault() ?? "no message").ToString();
    }
}
