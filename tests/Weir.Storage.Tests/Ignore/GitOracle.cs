using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Weir.Storage.Tests.Ignore;

/// <summary>
/// Asks the machine's git what it leaves out, with nothing but the ignore files in the tree: no
/// system or user configuration, no global excludes file, no <c>.git/info/exclude</c>.
/// </summary>
internal sealed class GitOracle
{
    private readonly string _home;

    public GitOracle(string home)
    {
        _home = home;
        Version = ParseVersion(Run(home, "--version"));
    }

    /// <summary>The git version, e.g. 2.39.5.</summary>
    public Version Version { get; }

    /// <summary>
    /// True when this git reads "foo**/bar" as "foo" then "**/bar" (matching "foobar"): git before 2.52
    /// cut the literal start off a pattern before matching the rest (fixed in git commit 1940a02dc1).
    /// Weir follows the fixed matcher.
    /// </summary>
    public bool SplitsLiteralPrefix => Version < new Version(2, 52);

    /// <summary>Makes <paramref name="directory"/> a fresh repository with no hooks, templates or info/exclude.</summary>
    public void Init(string directory) => Run(directory, "init", "--quiet", "--template=", ".");

    /// <summary>The untracked files git does not ignore (<c>git ls-files --others --exclude-standard</c>), '/'-separated.</summary>
    public IReadOnlyList<string> Untracked(string repository) =>
        Run(repository, "-c", "core.quotePath=false", "ls-files", "-z", "--others", "--exclude-standard")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The paths (given with a trailing '/' for folders) that <c>git check-ignore</c> reports as ignored.</summary>
    public IReadOnlySet<string> CheckIgnore(string repository, IEnumerable<string> paths)
    {
        var input = string.Concat(paths.Select(p => p + "\0"));
        var output = RunWithInput(repository, input, "-c", "core.quotePath=false", "check-ignore", "-z", "--stdin", "--no-index");
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    private string Run(string directory, params string[] arguments) => RunWithInput(directory, null, arguments);

    private string RunWithInput(string directory, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = input is null ? null : new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = _home;
        start.Environment["XDG_CONFIG_HOME"] = _home;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("This test compares Weir's ignore rules with git's, and git is not on the PATH: install git.", ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }

            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // check-ignore exits 1 when nothing is ignored.
            if (process.ExitCode != 0 && !(process.ExitCode == 1 && arguments.Contains("check-ignore")))
            {
                throw new InvalidOperationException($"git {string.Join(' ', arguments)} in {directory} exited {process.ExitCode}: {stderr.Result}");
            }

            return stdout;
        }
    }

    private static Version ParseVersion(string output)
    {
        // "git version 2.39.5" (some builds add ".windows.1" or " (Apple Git-146)").
        var numbers = output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2].Split('.').Take(3)
            .Select(n => int.Parse(new string([.. n.TakeWhile(char.IsAsciiDigit)]), CultureInfo.InvariantCulture)).ToArray();
        return new Version(numbers[0], numbers[1], numbers.Length > 2 ? numbers[2] : 0);
    }
}
