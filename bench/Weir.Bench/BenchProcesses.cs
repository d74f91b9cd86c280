namespace Weir.Bench;

/// <summary>The real programs the benchmarks drive: the published <c>weir</c> (server, worker, CLI), through Weir.Testing's runner.</summary>
internal static class BenchProcesses
{
    /// <summary>The checkout's published <c>./weir</c> (what users run, optimized) with its own <c>WEIR_HOME</c>, talking to <paramref name="server"/>.</summary>
    public static WeirCli Cli(string home, Uri? server = null) => new(home, server) { Command = WeirCli.Published, Timeout = Shell.DefaultTimeout };

    /// <summary>Starts <c>weir server start</c> on a free port (SQLite under <paramref name="home"/>, or <paramref name="databaseUrl"/>) and waits until it answers.</summary>
    public static async Task<BenchServer> StartServerAsync(string home, string? databaseUrl)
    {
        var cli = databaseUrl is null ? Cli(home) : Cli(home).With(new Dictionary<string, string> { ["WEIR_DATABASE_URL"] = databaseUrl });
        var port = FreePort.Next();
        var process = await cli.StartServerAsync(Repo.Root, port, keepOutput: false);
        return new BenchServer(process, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Runs a command to its end; its standard output, or an error with what it printed.</summary>
    public static Task<string> RunAsync(string program, IEnumerable<string> args, string workingDirectory, Dictionary<string, string?> environment) =>
        Shell.RunAsync(Shell.StartInfo(program, args, workingDirectory, environment));
}
