using System.Diagnostics;
using System.Globalization;
using Weir.Client;

namespace Weir.Testing;

/// <summary>
/// The real <c>weir</c> command as the tests run it: <see cref="Command"/> (Weir.Cli.dll beside the tests by default)
/// with its own <c>WEIR_HOME</c>, talking to <see cref="Server"/> (<c>WEIR_API_URL</c>; none: a local command), with
/// <c>NO_COLOR</c> set and no <c>WEIR_API_KEY</c> or <c>WEIR_DATABASE_URL</c> of the machine's, plus <see cref="Environment"/>.
/// </summary>
/// <param name="Home">The <c>WEIR_HOME</c> it runs with.</param>
/// <param name="Server">The server it talks to, or null.</param>
public sealed record WeirCli(string Home, Uri? Server = null)
{
    /// <summary>Weir.Cli.dll beside the test binaries (a test project that runs the CLI references Weir.Cli).</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "Weir.Cli.dll");

    /// <summary><c>dotnet Weir.Cli.dll</c>, the CLI built beside the tests.</summary>
    public static IReadOnlyList<string> BesideTests { get; } = ["dotnet", Dll];

    /// <summary>The checkout's <c>./weir</c>, which runs the published, optimized CLI (the bench measures that one).</summary>
    public static IReadOnlyList<string> Published { get; } = [Path.Combine(Repo.Root, "weir")];

    /// <summary>The program and its first arguments. <value>Defaults to <see cref="BesideTests"/>.</value></summary>
    public IReadOnlyList<string> Command { get; init; } = BesideTests;

    /// <summary>More environment variables for the command (these win over the defaults).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long <see cref="RunAsync(string, string[])"/> lets a command run. <value>Defaults to 2 minutes.</value></summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>This CLI with <paramref name="variables"/> added to its <see cref="Environment"/>.</summary>
    public WeirCli With(IReadOnlyDictionary<string, string> variables) =>
        this with { Environment = new Dictionary<string, string>(Environment.Concat(variables).GroupBy(p => p.Key).Select(g => g.Last())) };

    /// <summary>The start of <c>weir ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args)
    {
        var environment = new Dictionary<string, string?>
        {
            ["WEIR_HOME"] = Home,
            ["WEIR_API_URL"] = Server?.ToString().TrimEnd('/'),
            ["WEIR_API_KEY"] = null,
            ["WEIR_DATABASE_URL"] = null,
            ["NO_COLOR"] = "1",
        };
        foreach (var (key, value) in Environment)
        {
            environment[key] = value;
        }

        return Shell.StartInfo(Command[0], [.. Command.Skip(1), .. args], workingDirectory, environment);
    }

    /// <summary>Like <see cref="StartInfo"/>, with standard error sent into standard output (one pipe, in the order written, as a terminal shows them).</summary>
    public ProcessStartInfo MergedStartInfo(string workingDirectory, IEnumerable<string> args)
    {
        var start = StartInfo(workingDirectory, args);
        var command = start.ArgumentList.Prepend(start.FileName).ToList();
        start.FileName = "bash";
        start.ArgumentList.Clear();
        foreach (var argument in new[] { "-c", "exec \"$@\" 2>&1", "weir" }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs <c>weir ARGS</c> to its end (standard input closed at once), within <see cref="Timeout"/>.</summary>
    public Task<ProcessResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, args, input: null);

    /// <summary>Runs <c>weir ARGS</c> to its end with <paramref name="input"/> on its standard input, within <see cref="Timeout"/>.</summary>
    public Task<ProcessResult> RunAsync(string workingDirectory, IEnumerable<string> args, string? input) =>
        Shell.ExecAsync(StartInfo(workingDirectory, args), input, Timeout);

    /// <summary>Starts <c>weir ARGS</c> in the background.</summary>
    public RunningProcess Start(string workingDirectory, IEnumerable<string> args, string? name = null, Action<string>? onLine = null, bool keepOutput = true) =>
        RunningProcess.Start(StartInfo(workingDirectory, args), name, onLine, keepOutput);

    /// <summary>Starts <c>weir worker start --pool POOL --name NAME OPTIONS</c> in the background.</summary>
    public RunningProcess StartWorker(string workingDirectory, string pool, string name, params string[] options) =>
        Start(workingDirectory, ["worker", "start", "--pool", pool, "--name", name, .. options], name);

    /// <summary>Starts <c>weir server start --port PORT</c> in the background and waits until it answers its health check; fails with what it printed when it ends or does not answer in time.</summary>
    public async Task<RunningProcess> StartServerAsync(string workingDirectory, int port, TimeSpan? timeout = null, bool keepOutput = true)
    {
        var server = Start(workingDirectory, ["server", "start", "--port", port.ToString(CultureInfo.InvariantCulture)], keepOutput: keepOutput);
        using var client = new WeirClient(new Uri($"http://127.0.0.1:{port}"));
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        var clock = Stopwatch.StartNew();
        while (!await client.IsHealthyAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (server.HasExited || clock.Elapsed > limit)
            {
                var output = server.Output;
                await server.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"weir server start did not answer on port {port} within {limit.TotalSeconds:0} s. It printed:\n{output}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return server;
    }
}
