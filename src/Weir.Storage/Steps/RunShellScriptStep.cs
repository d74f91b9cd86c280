using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Storage.Steps;

/// <summary>
/// <c>run_shell_script</c>: runs each line of <c>script</c> as its own process (words split like a
/// shell, no shell features). A non-zero exit fails the step, naming the line. Outputs <c>stdout</c>
/// and <c>stderr</c>, each the lines of all commands.
/// </summary>
internal sealed partial class RunShellScriptStep : IStep
{
    public string Name => "run_shell_script";

    public IReadOnlyCollection<string> Arguments { get; } = ["script", "directory", "env", "expand_env_vars", "stream_output"];

    [GeneratedRegex(@"\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex EnvReference();

    public async Task<IReadOnlyDictionary<string, object?>> RunAsync(StepArguments arguments, StepContext context, CancellationToken cancellationToken)
    {
        var script = arguments.GetString("script", required: true)!;
        var directory = arguments.GetString("directory") is { } d ? Path.GetFullPath(d, context.WorkingDirectory) : context.WorkingDirectory;
        var extraEnv = arguments.GetStringMap("env");
        var expand = arguments.GetBool("expand_env_vars", false);
        var stream = arguments.GetBool("stream_output", true);
        if (!Directory.Exists(directory))
        {
            throw new StepException($"the directory '{directory}' does not exist.");
        }

        var env = context.ChildEnvironment is { } given
            ? new Dictionary<string, string>(given, StringComparer.Ordinal)
            : Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        foreach (var (key, value) in extraEnv)
        {
            env[key] = value;
        }

        var stdout = new List<string>();
        var stderr = new List<string>();
        var lines = script.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            if (expand)
            {
                // Like Python's string.Template.safe_substitute: unknown names stay as written.
                line = EnvReference().Replace(line, m => env.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);
            }

            IReadOnlyList<string> words;
            try
            {
                words = CommandLineSplitter.Split(line);
            }
            catch (StepException ex)
            {
                throw new StepException($"line {n + 1} of the script `{line.Trim()}`: {ex.Message}");
            }

            if (words.Count == 0)
            {
                continue;
            }

            var (exit, output, errors) = await RunLineAsync(words, directory, env, stream ? context : null, n + 1, line.Trim(), cancellationToken).ConfigureAwait(false);
            stdout.AddRange(output);
            stderr.AddRange(errors);
            if (exit != 0)
            {
                var tail = errors.Count > 0 ? ": " + string.Join('\n', errors.TakeLast(20)) : string.Empty;
                throw new StepException($"line {n + 1} of the script `{line.Trim()}` exited with code {exit}{tail}");
            }
        }

        return new Dictionary<string, object?> { ["stdout"] = string.Join('\n', stdout), ["stderr"] = string.Join('\n', stderr) };
    }

    private static async Task<(int Exit, List<string> Stdout, List<string> Stderr)> RunLineAsync(
        IReadOnlyList<string> words, string directory, Dictionary<string, string> env, StepContext? stream, int lineNumber, string line, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(words[0])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        start.Environment.Clear();
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new List<string>();
        var stderr = new List<string>();
        process.OutputDataReceived += (_, e) => Collect(e.Data, stdout, stream);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, stderr, stream);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new StepException($"line {lineNumber} of the script `{line}`: cannot start '{words[0]}': {ex.Message}. Is it installed and on PATH?");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, stdout, stderr);
    }

    private static void Collect(string? line, List<string> into, StepContext? stream)
    {
        if (line is null)
        {
            return;
        }

        lock (into)
        {
            into.Add(line);
        }

        stream?.Print(line);
    }
}
