using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Weir.Client;

namespace Weir.Server.Tests.Infrastructure;

/// <summary>A real server on 127.0.0.1 with a free port (Kestrel, no test host), its temp home folder, a client and its captured log.</summary>
public sealed class ServerHarness : IAsyncDisposable
{
    public const string SecretKey = "q5cNmR1y8t0wJmQbX1kY0dWw7wq4wz4X0b0mZ6v0S3E=";

    private ServerHarness(WeirServer server, string home, CapturingLoggerProvider log, string? apiKey, string? postgres)
    {
        Postgres = postgres;
        Server = server;
        Home = home;
        Log = log;
        Client = new WeirClient(server.Url, apiKey);
        Http = new HttpClient { BaseAddress = server.Url };
        if (apiKey is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public WeirServer Server { get; }

    /// <summary>The PostgreSQL connection string, or null on SQLite.</summary>
    public string? Postgres { get; }

    public string Home { get; }

    public CapturingLoggerProvider Log { get; }

    public WeirClient Client { get; }

    public HttpClient Http { get; }

    public static async Task<ServerHarness> StartAsync(string? postgres, TimeProvider? time = null, string? apiKey = null, IReadOnlyList<string>? workerKeys = null, Func<WeirServerOptions, WeirServerOptions>? configure = null)
    {
        var home = Path.Combine(Path.GetTempPath(), "weir-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        var options = new WeirServerOptions
        {
            Port = 0,
            WeirHome = home,
            DatabasePath = Path.Combine(home, "weir.db"),
            DatabaseUrl = postgres,
            ApiKey = apiKey,
            WorkerApiKeys = workerKeys ?? [],
            SecretKey = SecretKey,
            BackgroundServices = false,
            TimeProvider = time ?? TimeProvider.System,
        };
        options = configure?.Invoke(options) ?? options;
        var log = new CapturingLoggerProvider();
        var server = await WeirServer.StartAsync(options, logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Debug)).ConfigureAwait(false);
        return new ServerHarness(server, home, log, apiKey, postgres);
    }

    /// <summary>Every byte the database holds: the SQLite file and its WAL, or every row of every table as text on PostgreSQL.</summary>
    public async Task<string> DatabaseBytesAsync()
    {
        if (Postgres is null)
        {
            var text = new System.Text.StringBuilder();
            foreach (var file in Directory.GetFiles(Home, "weir.db*"))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                await stream.CopyToAsync(memory);
                text.Append(System.Text.Encoding.Latin1.GetString(memory.ToArray()));
            }

            return text.ToString();
        }

        await using var connection = new Npgsql.NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new Npgsql.NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.AppendLine(reader.GetString(0));
            }
        }

        return dump.ToString();
    }

    public static FakeTimeProvider FakeTime() => new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
