using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Server.Api;
using Weir.Server.Data;
using Weir.Server.Secrets;
using Weir.Server.Services;

namespace Weir.Server;

/// <summary>The Weir server: the REST API over SQLite, with its background services. Start it in-process or with <c>weir server start</c>.</summary>
public sealed class WeirServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WeirServer(WebApplication app, Uri url, string databasePath)
    {
        _app = app;
        Url = url;
        DatabasePath = databasePath;
    }

    /// <summary>Where the API answers, e.g. <c>http://127.0.0.1:4200</c>.</summary>
    public Uri Url { get; }

    /// <summary>The SQLite file.</summary>
    public string DatabasePath { get; }

    /// <summary>Starts the server. Refuses a non-loopback address when no API key is set.</summary>
    public static async Task<WeirServer> StartAsync(WeirServerOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ApiKey is null && options.Host is not ("127.0.0.1" or "localhost" or "::1"))
        {
            throw new InvalidOperationException($"Without an API key the server only listens on 127.0.0.1; set WEIR_API_KEY to listen on {options.Host}.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls($"http://{(options.Host == "localhost" ? "127.0.0.1" : options.Host)}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            foreach (var converter in ApiJson.Options.Converters)
            {
                json.SerializerOptions.Converters.Add(converter);
            }

            json.SerializerOptions.DefaultIgnoreCondition = ApiJson.Options.DefaultIgnoreCondition;
        });

        var databasePath = options.DatabasePath ?? Path.Combine(options.WeirHome, "weir.db");
        var database = new Database(databasePath);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(SecretBox.FromEnvironmentOrFile(options.WeirHome));
        builder.Services.AddSingleton<RunSignals>();
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton<Store>();
        builder.Services.AddHostedService<CrashDetector>();

        var app = builder.Build();
        app.Use((context, next) => Errors(context, next));
        app.Use((context, next) => ApiKeyAuth.Middleware(context, () => next(context), options.ApiKey));
        Endpoints.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Weir.Server");
        logger.LogInformation("Weir server listening on {Url} (database {Database}){Auth}.", address, databasePath,
            options.ApiKey is null ? "; no API key is set, so it answers on loopback only" : "; API key required");
        return new WeirServer(app, new Uri(address), databasePath);
    }

    /// <summary>Waits until the server stops (Ctrl+C, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Turns refusals and malformed input into a 4xx whose message names the field; nothing half-written stays (every write is one transaction).</summary>
    private static async Task Errors(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            await Problem(context, ex.Status, ex.Message, ex.Field).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            await Problem(context, 400, $"The request body is not valid{(field is null ? string.Empty : $" at '{field}'")}: {json.Message}", field).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            await Problem(context, ex.StatusCode, ex.StatusCode == 413 ? $"The request body is too large (the limit is {(context.Request.Path.StartsWithSegments("/api/events") ? "16 MiB" : "1 MiB")})." : ex.Message, null).ConfigureAwait(false);
        }
    }

    private static Task Problem(HttpContext context, int status, string message, string? field)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ProblemDto(message, field), ApiJson.Options);
    }
}
