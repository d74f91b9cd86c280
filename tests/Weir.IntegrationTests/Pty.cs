using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Weir.IntegrationTests;

/// <summary>
/// Runs <c>weir</c> in a real pseudo-terminal through util-linux <c>script</c>: what is written to
/// <see cref="AnswerAsync"/> arrives as keystrokes, and the screen output is read back (ANSI escapes
/// removed) to wait for each question before answering it.
/// </summary>
internal sealed partial class Pty : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _raw = new();
    private readonly Task _reader;
    private int _consumed;

    private Pty(Process process)
    {
        _process = process;
        _reader = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (_raw)
                {
                    _raw.Append(buffer, 0, read);
                }
            }
        });
    }

    /// <summary>Everything the terminal showed so far, without escape sequences.</summary>
    public string Screen
    {
        get
        {
            lock (_raw)
            {
                return Escapes().Replace(_raw.ToString(), string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Starts <c>weir ARGS</c> of <paramref name="cli"/> in a 200×50 terminal (TERM=xterm, no CI variables, so it asks as it would a person).</summary>
    public static Pty Start(WeirCli cli, string workingDirectory, params string[] args)
    {
        var start = cli.StartInfo(workingDirectory, args);
        var command = "stty cols 200 rows 50; exec " + string.Join(' ', start.ArgumentList.Prepend(start.FileName).Select(Quote));
        start.FileName = "script";
        start.ArgumentList.Clear();
        foreach (var argument in new[] { "-qfec", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TERM"] = "xterm";
        foreach (var ci in new[] { "CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "TEAMCITY_VERSION", "BUILD_NUMBER", "JENKINS_URL", "APPVEYOR", "TRAVIS", "CONTINUOUS_INTEGRATION" })
        {
            start.Environment.Remove(ci);
        }

        return new Pty(Process.Start(start)!);
    }

    /// <summary>Waits for <paramref name="question"/> to appear (after the previous one), then types <paramref name="keys"/>.</summary>
    public async Task AnswerAsync(string question, string keys)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var screen = Screen;
            var at = screen.IndexOf(question, Math.Min(_consumed, screen.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                _consumed = at + question.Length;
                break;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"The terminal never asked \"{question}\". It showed:\n{screen}");
            }

            await Task.Delay(50);
        }

        // Let the prompt start reading keys before they arrive.
        await Task.Delay(300);
        await _process.StandardInput.WriteAsync(keys);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        await _reader.WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][A-Z0-9]|[=>78])")]
    private static partial Regex Escapes();
}
