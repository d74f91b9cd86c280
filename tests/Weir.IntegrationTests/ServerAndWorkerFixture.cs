using System.Diagnostics;
using Weir.Client;
using Weir.Server;

namespace Weir.IntegrationTests;

/// <summary>
/// A real Weir server (SQLite, on 127.0.0.1 with a free port) and a real worker process
/// (<c>weir worker start</c>) for the whole collection; the worker is stopped by PID at the end.
/// </summary>
public sealed class ServerAndWorkerFixture : IAsyncLifetime
{
    public const string Pool = "itest";

    private Process? _worker;

    public string Home { get; } = Directory.CreateTempSubdirectory("weir-itest-home-").FullName;

    public WeirServer Server { get; private set; } = null!;

    public WeirClient Client { get; private set; } = null!;

    public string WorkerLog => string.Join('\n', _workerLines);

    private readonly List<string> _workerLines = [];

    public async Task InitializeAsync()
    {
        Server = await WeirServer.StartAsync(new WeirServerOptions { Port = 0, WeirHome = Path.Combine(Home, "server"), ApiKey = null, ScheduleInterval = TimeSpan.FromSeconds(1) });
        Client = new WeirClient(Server.Url);
        var start = Cli.Start(Home, Environment.CurrentDirectory, Server.Url, ["worker", "start", "--pool", Pool, "--limit", "4", "--name", "itest-worker"]);
        _worker = Process.Start(start)!;
        _worker.OutputDataReceived += (_, e) => Record(e.Data);
        _worker.ErrorDataReceived += (_, e) => Record(e.Data);
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();
    }

    public async Task DisposeAsync()
    {
        if (_worker is { HasExited: false })
        {
            _worker.Kill(entireProcessTree: true);
            await _worker.WaitForExitAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_workerLines)
            {
                _workerLines.Add(line);
            }
        }
    }
}
