using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Weir.Worker.Kubernetes.Tests;

/// <summary>
/// A stand-in for the Kubernetes API server on 127.0.0.1 that replays recorded responses: each request takes the next response
/// queued for its method and path (and for pod lists, whether it is a watch), and is kept for the test to look at. A watch
/// response is a stream of recorded event lines, optionally held open afterwards as an idle watch is. No real API server runs here.
/// </summary>
internal sealed class ReplayApiServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Replay>> _replies = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ReplayApiServer()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>Every request so far: method, path with query, body.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Queues a reply for <paramref name="method"/> on <paramref name="path"/> (<c>watch</c> marks pod watches apart from pod lists).</summary>
    public ReplayApiServer Reply(string method, string path, Replay reply)
    {
        _replies.GetOrAdd(method + " " + path, _ => new ConcurrentQueue<Replay>()).Enqueue(reply);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener.Close();
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = request.Url!.AbsolutePath;
        var watch = request.QueryString["watch"] == "true";
        Requests.Enqueue(new RecordedRequest(request.HttpMethod, request.Url.PathAndQuery, body));
        var key = request.HttpMethod + " " + path + (watch ? " watch" : string.Empty);
        var response = context.Response;
        try
        {
            if (!_replies.TryGetValue(key, out var queue) || !queue.TryDequeue(out var reply))
            {
                await WriteAsync(response, 404, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the replay has nothing recorded for this request","reason":"NotFound","code":404}""");
                return;
            }

            if (reply.Lines is { } lines)
            {
                response.StatusCode = 200;
                response.ContentType = reply.ContentType;
                response.SendChunked = true;
                foreach (var line in lines)
                {
                    var bytes = Encoding.UTF8.GetBytes(line + "\n");
                    await response.OutputStream.WriteAsync(bytes);
                    await response.OutputStream.FlushAsync();
                    await Task.Delay(reply.LineDelay);
                }

                if (reply.HoldOpen > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(reply.HoldOpen, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                response.Close();
                return;
            }

            await WriteAsync(response, reply.Status, reply.Body ?? string.Empty);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client hung up (a cancelled watch): nothing to answer.
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}

/// <summary>A recorded request.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string Body);

/// <summary>A recorded response: a JSON body with a status, or lines streamed one by one (a watch, a followed log).</summary>
internal sealed record Replay(int Status = 200, string? Body = null, IReadOnlyList<string>? Lines = null, string ContentType = "application/json")
{
    /// <summary>How long a streamed response stays open after its lines (an idle watch).</summary>
    public TimeSpan HoldOpen { get; init; }

    /// <summary>The pause between streamed lines.</summary>
    public TimeSpan LineDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public static Replay Json(string body, int status = 200) => new(status, body);

    public static Replay Stream(params string[] lines) => new(Lines: lines);

    public static Replay Text(params string[] lines) => new(Lines: lines, ContentType: "text/plain");
}
