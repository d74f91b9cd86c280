namespace Weir.FaultTests;

/// <summary>A private PostgreSQL cluster from tests/infra/postgres.sh, which can be halted and resumed (an outage) on the same port.</summary>
public sealed class Postgres : IAsyncDisposable
{
    private static readonly string s_script = Path.Combine(Shell.RepoRoot, "tests", "infra", "postgres.sh");

    private Postgres(string dir, string url)
    {
        Dir = dir;
        ConnectionString = url;
    }

    public string Dir { get; }

    public string ConnectionString { get; }

    public static async Task<Postgres> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "weir-fault-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var url = (await Shell.RunAsync("bash", s_script, "start", dir)).Trim().Split('\n')[^1];
        return new Postgres(dir, url);
    }

    public Task HaltAsync() => Shell.RunAsync("bash", s_script, "halt", Dir);

    public Task ResumeAsync() => Shell.RunAsync("bash", s_script, "resume", Dir);

    /// <summary>A plain-text dump of the whole database (for the secret scan).</summary>
    public async Task<string> DumpAsync()
    {
        var bin = Path.GetDirectoryName(Directory.GetFiles("/usr/lib/postgresql", "pg_dump", SearchOption.AllDirectories).Order().Last())!;
        var port = (await File.ReadAllTextAsync(Path.Combine(Dir, "port"))).Trim();
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(bin, "pg_dump"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "weir" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PGPASSWORD"] = "postgres";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException("pg_dump failed: " + await error);
    }

    public async ValueTask DisposeAsync() => await Shell.RunAsync("bash", s_script, "stop", Dir);
}
