using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Server.Api;
using Weir.Server.Auth;
using Weir.Server.Secrets;
using Weir.Server.Services;
using Weir.Server.Storage;

namespace Weir.Server;

/// <summary>
/// The Weir server: the REST API under <c>/api</c> (OpenAPI at <c>/openapi/v1.json</c>) over SQLite
/// or PostgreSQL, with its background services (scheduler, late runs, crash detection). Start it
/// in-process (tests use port 0) or with <c>weir server start</c>.
/// </summary>
public sealed class WeirServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SqlDialect _dialect;
    private readonly RequestCounter _requests;

    private WeirServer(WebApplication app, SqlDialect dialect, Uri url, IWeirStore store, string? databasePath, RequestCounter requests)
    {
        _app = app;
        _dialect = dialect;
        _requests = requests;
        Url = url;
        Store = store;
        DatabasePath = databasePath;
    }

    /// <summary>The server's version.</summary>
    public static string Version { get; } = typeof(WeirServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Where the API answers, e.g. <c>http://127.0.0.1:4200</c>.</summary>
    public Uri Url { get; }

    /// <summary>The store (for tests and tools in the same process).</summary>
    public IWeirStore Store { get; }

    /// <summary>The SQLite file, or null on PostgreSQL.</summary>
    public string? DatabasePath { get; }

    /// <summary>Where the data lives, for people.</summary>
    public string Database => Store.Description;

    /// <summary>How many API requests (<c>/api/...</c>) the server has answered since it started: the cost of a run's protocol, measured.</summary>
    public long ApiRequestCount => _requests.Count;

    /// <summary>The API requests answered so far, by caller and route (<c>"weir-worker POST /api/events"</c>).</summary>
    public IReadOnlyDictionary<string, long> ApiRequests => _requests.Snapshot();

    /// <summary>The server's services (for tests: the background loops).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Applies migrations and starts listening. Without an API key the server binds 127.0.0.1 only
    /// (whatever <see cref="WeirServerOptions.Host"/> says) and logs that it does.
    /// </summary>
    public static async Task<WeirServer> StartAsync(WeirServerOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        var forwarded = options.ForwardedHeaders ? ForwardedHeaders(options) : null;
        var keys = new ApiKeys(options.ApiKey, options.WorkerApiKeys);
        var host = options.Host is "localhost" or "" ? "127.0.0.1" : options.Host;
        var refusedHost = keys.Open && host is not ("127.0.0.1" or "::1") ? host : null;
        if (refusedHost is not null)
        {
            host = "127.0.0.1";
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(json => CopyJsonOptions(json));
        builder.Services.AddOpenApi();

        var (dialect, databasePath) = CreateDialect(options);
        var signals = new RunSignals();
        var secretBox = SecretBox.FromKeyOrFile(options.SecretKey, options.WeirHome);
        var tokens = new RunTokens(secretBox.DeriveKey(RunTokens.KeyPurpose));
        var store = new SqlStore(dialect, secretBox, signals, options.TimeProvider);
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dialect.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton(signals);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton(dialect);
        builder.Services.AddSingleton(options.StoreDecorator is { } decorate ? decorate(store) : store);
        builder.Services.AddSingleton<Scheduler>();
        builder.Services.AddSingleton<LateRunMarker>();
        builder.Services.AddSingleton<CrashDetector>();
        if (options.BackgroundServices)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Scheduler>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<LateRunMarker>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<CrashDetector>());
        }

        if (dialect is PostgresDialect postgres)
        {
            builder.Services.AddSingleton(postgres);
            builder.Services.AddHostedService<PostgresListener>();
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Weir.Server");
        var requests = new RequestCounter();
        if (dialect is SqliteDialect { LooseMode: { } mode } sqlite)
        {
            logger.LogWarning("The database file {Path} may be read by other users (mode {Mode}); it holds login sessions and encrypted secrets, so make it the server's alone: chmod 600 {Path}*.",
                sqlite.FilePath, Convert.ToString((int)mode, 8), sqlite.FilePath);
        }

        if (forwarded is not null)
        {
            app.UseForwardedHeaders(forwarded);
        }

        app.UseRouting();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
                {
                    requests.Add(context);
                }
            }
        });
        app.Use((context, next) => ErrorMiddleware.InvokeAsync(context, next, options, logger));
        var sessions = new UiSessions(keys, options);
        app.Use((context, next) => AuthMiddleware.InvokeAsync(context, next, keys, sessions, tokens, options));
        app.MapOpenApi().WithMetadata(new RoleRequirement(ApiRole.Anonymous));
        Api.Api.Map(app, options);
        Ui.UiEndpoints.Map(app, options, keys, sessions, new LoginThrottle(options));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await dialect.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        if (refusedHost is not null)
        {
            logger.LogWarning("No API key is set, so the server listens on 127.0.0.1 only, not on {Host}; set WEIR_API_KEY to listen there.", refusedHost);
        }

        logger.LogInformation("Weir server {Version} listening on {Url}; database: {Database}; {Auth}.", Version, address, store.Description,
            keys.Open ? "no API key is set, so it answers on 127.0.0.1 only" : "API key required");
        return new WeirServer(app, dialect, new Uri(address), store, databasePath, requests);
    }

    /// <summary>Waits until the server stops (Ctrl+C, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _dialect.DisposeAsync().ConfigureAwait(false);
    }

    private static void CheckOptions(WeirServerOptions options)
    {
        var longest = TimeSpan.FromDays(3650);
        foreach (var (name, value) in new[] { (nameof(options.SessionIdleTimeout), options.SessionIdleTimeout), (nameof(options.SessionLifetime), options.SessionLifetime), (nameof(options.FailedLoginWindow), options.FailedLoginWindow) })
        {
            if (value <= TimeSpan.Zero || value > longest)
            {
                throw new InvalidOperationException($"WeirServerOptions.{name} is {value}; it must be more than zero and at most 3650 days.");
            }
        }

        if (options.RunTokenGrace < TimeSpan.Zero || options.RunTokenGrace > longest)
        {
            throw new InvalidOperationException($"WeirServerOptions.RunTokenGrace is {options.RunTokenGrace}; it must be zero or more and at most 3650 days.");
        }

        if (options.MaxFailedLogins < 1)
        {
            throw new InvalidOperationException($"WeirServerOptions.MaxFailedLogins is {options.MaxFailedLogins}; it must be at least 1.");
        }
    }

    /// <summary>
    /// Scheme and client address from the trusted proxies' X-Forwarded-Proto and X-Forwarded-For, never the host: on a
    /// server without a key a page could name itself localhost through X-Forwarded-Host and pass the loopback check.
    /// </summary>
    private static ForwardedHeadersOptions ForwardedHeaders(WeirServerOptions options)
    {
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        if (options.TrustedProxies.Count > 0)
        {
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.TrustedProxies)
            {
                if (proxy.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
                else if (System.Net.IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else
                {
                    throw new InvalidOperationException($"The trusted proxy '{proxy}' (WEIR_TRUSTED_PROXIES) is neither an IP address (10.0.0.5) nor a network (10.0.0.0/8).");
                }
            }
        }

        return forwarded;
    }

    private static (SqlDialect Dialect, string? Path) CreateDialect(WeirServerOptions options)
    {
        if (options.DatabaseUrl is { } url)
        {
            if (PostgresDialect.IsPostgres(url))
            {
                return (new PostgresDialect(PostgresDialect.ToConnectionString(url)), null);
            }

            if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            {
                var file = url["sqlite:".Length..].TrimStart('/');
                file = url.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase) ? "/" + file : file;
                return (new SqliteDialect(file), Path.GetFullPath(file));
            }

            throw new InvalidOperationException("WEIR_DATABASE_URL is neither a PostgreSQL connection string (postgresql://user:password@host:5432/db, or Host=…;Database=…) nor sqlite:PATH.");
        }

        var path = Path.GetFullPath(options.DatabasePath ?? Path.Combine(options.WeirHome, "weir.db"));
        return (new SqliteDialect(path), path);
    }

    private static void CopyJsonOptions(JsonOptions json)
    {
        var target = json.SerializerOptions;
        var source = ApiJson.Options;
        target.PropertyNamingPolicy = source.PropertyNamingPolicy;
        target.DefaultIgnoreCondition = source.DefaultIgnoreCondition;
        target.RespectNullableAnnotations = source.RespectNullableAnnotations;
        target.RespectRequiredConstructorParameters = source.RespectRequiredConstructorParameters;
        foreach (var converter in source.Converters)
        {
            target.Converters.Add(converter);
        }
    }
}
