using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Npgsql;
using Weir.Client;
using Weir.Server;
using Weir.Server.Storage;

namespace Weir.Testing;

/// <summary>
/// A real Weir server in this process (Kestrel on 127.0.0.1, no test host) on SQLite or PostgreSQL, with its home
/// folder, a client (and a raw HTTP client) that carry its API key, and its captured log.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    /// <summary>The secret key test servers encrypt with unless told otherwise (a fixed one, so a restarted server reads what the last one wrote).</summary>
    public const string DefaultSecretKey = "q5cNmR1y8t0wJmQbX1kY0dWw7wq4wz4X0b0mZ6v0S3E=";

    private readonly bool _ownsHome;

    private TestServer(WeirServer server, TestServerOptions options, string home, bool ownsHome, LogCapture log)
    {
        Server = server;
        Options = options;
        Home = home;
        _ownsHome = ownsHome;
        Log = log;
        Client = new WeirClient(new WeirClientOptions { BaseUrl = server.Url, ApiKey = options.ApiKey, Agent = options.ClientAgent ?? "weir" });
        Http = new HttpClient { BaseAddress = server.Url };
        if (options.ApiKey is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }
    }

    public WeirServer Server { get; }

    public TestServerOptions Options { get; }

    public Uri Url => Server.Url;

    public IWeirStore Store => Server.Store;

    /// <summary>The PostgreSQL connection string, or null on SQLite.</summary>
    public string? Postgres => Options.Postgres;

    /// <summary>The server's WEIR_HOME (its SQLite database is <c>weir.db</c> in it).</summary>
    public string Home { get; }

    public LogCapture Log { get; }

    public WeirClient Client { get; }

    public HttpClient Http { get; }

    public static async Task<TestServer> StartAsync(TestServerOptions? options = null)
    {
        options ??= new TestServerOptions();
        var ownsHome = options.Home is null;
        var home = options.Home ?? Path.Combine(Path.GetTempPath(), "weir-test-servers", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        var defaults = new WeirServerOptions();
        var log = options.Log ?? new LogCapture();
        var server = await WeirServer.StartAsync(new WeirServerOptions
        {
            Port = options.Port, WeirHome = home, DatabasePath = Path.Combine(home, "weir.db"), DatabaseUrl = options.Postgres, TimeProvider = options.Time,
            ApiKey = options.ApiKey, WorkerApiKeys = options.WorkerApiKeys, SecretKey = options.SecretKey, BackgroundServices = options.BackgroundServices,
            WorkerSilence = options.WorkerSilence ?? defaults.WorkerSilence, CrashCheckInterval = options.CrashCheckInterval ?? defaults.CrashCheckInterval,
            ScheduleInterval = options.ScheduleInterval ?? defaults.ScheduleInterval, RunTokenGrace = options.RunTokenGrace ?? defaults.RunTokenGrace, StoreDecorator = options.StoreDecorator,
            ForwardedHeaders = options.ForwardedHeaders, TrustedProxies = options.TrustedProxies,
        }, logging => logging.AddProvider(log).SetMinimumLevel(options.LogLevel)).ConfigureAwait(false);
        return new TestServer(server, options, home, ownsHome, log);
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
                await stream.CopyToAsync(memory).ConfigureAwait(false);
                text.Append(System.Text.Encoding.Latin1.GetString(memory.ToArray()));
            }

            return text.ToString();
        }

        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync().ConfigureAwait(false);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                dump.AppendLine(reader.GetString(0));
            }
        }

        return dump.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
        if (_ownsHome)
        {
            TempFolder.Delete(Home);
        }
    }
}
