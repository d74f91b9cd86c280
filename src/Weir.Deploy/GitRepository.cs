using System.Diagnostics;

namespace Weir.Deploy;

/// <summary>What <c>weir init</c> and <c>weir deploy</c> learn from the git repository around a folder: its origin remote, branch, and the folder's place in it.</summary>
internal sealed record GitRepository(string Remote, string? Branch, string Prefix)
{
    /// <summary>The repository around <paramref name="dir"/> when it has an origin remote; null otherwise.</summary>
    public static GitRepository? Detect(string dir)
    {
        var remote = Git(dir, "remote", "get-url", "origin");
        return remote is null
            ? null
            : new GitRepository(WithoutCredentials(remote), Git(dir, "symbolic-ref", "--short", "HEAD"), (Git(dir, "rev-parse", "--show-prefix") ?? string.Empty).TrimEnd('/'));
    }

    /// <summary>A remote URL with any user name or token removed: the pull step must never hold a secret.</summary>
    public static string WithoutCredentials(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString()
            : url;

    internal static string? Git(string dir, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
