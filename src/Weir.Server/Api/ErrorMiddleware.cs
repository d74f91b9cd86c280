using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;

namespace Weir.Server.Api;

/// <summary>
/// Turns refusals and malformed input into a 4xx whose JSON body names the field, applies each
/// endpoint's body size limit, and answers anything unexpected with a 500 that leaks no request data
/// (request bodies may hold secrets, so they are never logged).
/// </summary>
internal static partial class ErrorMiddleware
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, WeirServerOptions options, ILogger logger)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } limit }
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        try
        {
            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Response.StatusCode is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType or StatusCodes.Status400BadRequest)
            {
                // Minimal APIs answer these body-reading failures themselves, with no body: add the sentence.
                await ProblemAsync(context, context.Response.StatusCode, context.Response.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => TooLarge(context, options),
                    StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON: send Content-Type: application/json.",
                    _ => "The request is not valid: its body or a parameter could not be read.",
                }, "body").ConfigureAwait(false);
            }
        }
        catch (StoreException ex)
        {
            await ProblemAsync(context, ex.Status, ex.Message, ex.Field).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.InnerException is JsonException json)
        {
            var (message, field) = Describe(json);
            await ProblemAsync(context, 400, message, field).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ProblemAsync(context, 413, TooLarge(context, options), "body").ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            var field = ParameterName().Match(ex.Message) is { Success: true } m ? m.Groups[1].Value : "body";
            var message = ex.Message.Contains("no body was provided", StringComparison.Ordinal) || ex.Message.Contains("Required parameter", StringComparison.Ordinal)
                ? $"The request needs a JSON body ('{field}')."
                : $"The request is not valid ('{field}'): {ex.Message}";
            await ProblemAsync(context, ex.StatusCode, message, field).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away (e.g. a worker stopped during a long-poll claim).
        }
        catch (Exception ex) when (DatabaseUnavailable(ex))
        {
            // The database is down or restarting: nothing was committed, so the caller may simply try again.
            logger.LogWarning("{Method} {Path}: the database is unavailable ({Type}: {Message}); answered 503.", context.Request.Method, context.Request.Path, ex.GetType().Name, ex.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(new ProblemDto($"The server's database is unavailable; nothing was changed. Try again in {RetryAfterSeconds} s.", null), ApiJson.Options).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            logger.LogError("{Method} {Path} failed: {Type}: {Message}", context.Request.Method, context.Request.Path, ex.GetType().Name, ex.Message);
            if (!context.Response.HasStarted)
            {
                await ProblemAsync(context, 500, $"The server failed on {context.Request.Method} {context.Request.Path} ({ex.GetType().Name}); its log has the details.", null).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What a 503 tells the caller to wait (Retry-After).</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>
    /// True when <paramref name="ex"/> (or an inner exception) says the database cannot be reached or is
    /// shutting down, rather than that the request was wrong: PostgreSQL connection failures and
    /// transient server states, SQLite busy.
    /// </summary>
    internal static bool DatabaseUnavailable(Exception ex)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true } or Npgsql.NpgsqlException { InnerException: System.Net.Sockets.SocketException }
                || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Names the field from the JSON path and says what was wrong, without echoing the value (it may be a secret).</summary>
    internal static (string Message, string? Field) Describe(JsonException json)
    {
        var field = json.Path is { Length: > 1 } path ? path.TrimStart('$').TrimStart('.') : null;
        if (MissingProperty().Match(json.Message) is { Success: true } missing)
        {
            field = string.IsNullOrEmpty(field) ? missing.Groups[1].Value : field + "." + missing.Groups[1].Value;
            return ($"The request body is missing '{field}'.", field);
        }

        if (json.Message.StartsWith("is not a state", StringComparison.Ordinal) || json.Message.Contains("Weir.StateType", StringComparison.Ordinal))
        {
            return ($"The value at '{field}' is not a state; states: {string.Join(", ", Enum.GetNames<StateType>())}.", field);
        }

        if (json.Message.Contains("null", StringComparison.OrdinalIgnoreCase) && json.Message.Contains("doesn't allow", StringComparison.Ordinal))
        {
            return ($"The value at '{field}' may not be null.", field);
        }

        if (field is null or "")
        {
            return ("The request body is not valid JSON for this route" + (json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})." : "."), "body");
        }

        var expected = ConvertTarget().Match(json.Message) is { Success: true } target ? $"; expected {Friendly(target.Groups[1].Value)}" : string.Empty;
        return ($"The value at '{field}' is not valid{expected}.", field);
    }

    private static string Friendly(string type) => type switch
    {
        "System.Guid" => "a UUID",
        "System.String" => "a text",
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.DateTimeOffset" or "System.DateTime" => "an ISO 8601 time",
        _ when type.StartsWith("System.Text.Json.Nodes.JsonObject", StringComparison.Ordinal) => "an object",
        _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) => "a list",
        _ => type[(type.LastIndexOf('.') + 1)..],
    };

    private static string TooLarge(HttpContext context, WeirServerOptions options)
    {
        var max = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? options.MaxRequestBytes;
        return $"The request body is larger than this route's limit of {max / 1024 / 1024.0:0.##} MiB; send less at once (event batches may be up to {options.MaxEventBatchBytes / 1024 / 1024} MiB on /api/events).";
    }

    private static Task ProblemAsync(HttpContext context, int status, string message, string? field)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ProblemDto(message, field), ApiJson.Options);
    }

    [GeneratedRegex("missing required properties including: '([^']+)'")]
    private static partial Regex MissingProperty();

    [GeneratedRegex("could not be converted to ([^ .]+(?:\\.[^ .]+)*)\\.")]
    private static partial Regex ConvertTarget();

    [GeneratedRegex("parameter \"[^\"]*? ([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterName();
}
