using Weir.Client;
using Weir.Engine;

namespace Weir.Worker.Hosting;

/// <summary>
/// A run's <see cref="Secret"/>, <see cref="Block"/> and <see cref="Variable"/> reads, from the server with the run's own
/// credential (its token in a worker's runs; <c>WEIR_API_KEY</c> in <c>weir run</c>). The server's refusal of a block the
/// deployment does not declare becomes an <see cref="UnauthorizedAccessException"/> with the server's sentence.
/// </summary>
internal sealed class ServerRunValues : IRunValueSource, IDisposable
{
    private readonly Lazy<WeirClient> _client;
    private readonly bool _ownsClient;

    /// <summary>Reads through <paramref name="client"/>; disposes it with this when <paramref name="ownsClient"/>.</summary>
    public ServerRunValues(WeirClient client, bool ownsClient = false)
        : this(() => client, ownsClient)
    {
        _ = _client.Value; // made already: Dispose disposes it when this owns it, read or not
    }

    /// <summary>Reads through the client <paramref name="client"/> makes at the first read (most runs read nothing, and make none).</summary>
    public ServerRunValues(Func<WeirClient> client, bool ownsClient)
    {
        _client = new Lazy<WeirClient>(client);
        _ownsClient = ownsClient;
    }

    /// <summary>
    /// What <c>weir run</c> reads secrets from: the server in <c>WEIR_API_URL</c> (with <c>WEIR_API_KEY</c>) when it is set,
    /// else a source whose every read says to set it.
    /// </summary>
    public static IRunValueSource ForLocalRun() =>
        Environment.GetEnvironmentVariable("WEIR_API_URL") is { Length: > 0 }
            ? new ServerRunValues(WeirClient.FromEnvironment("weir-cli"), ownsClient: true)
            : new NoServer();

    public async Task<RunBlock?> GetBlockAsync(string type, string name, CancellationToken cancellationToken)
    {
        try
        {
            var block = await _client.Value.GetBlockAsync(type, name, reveal: true, cancellationToken).ConfigureAwait(false);
            return block is null ? null : new RunBlock(block.Fields, block.SecretFields);
        }
        catch (WeirApiException ex) when (ex.Status is 401 or 403)
        {
            throw new UnauthorizedAccessException(ex.Message, ex);
        }
    }

    public async Task<string?> GetVariableAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.Value.GetVariableAsync(name, cancellationToken).ConfigureAwait(false))?.Value;
        }
        catch (WeirApiException ex) when (ex.Status is 401 or 403)
        {
            throw new UnauthorizedAccessException(ex.Message, ex);
        }
    }

    public void Dispose()
    {
        if (_ownsClient && _client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    /// <summary><c>weir run</c> without <c>WEIR_API_URL</c>: there is no server to read from, and each read says so.</summary>
    private sealed class NoServer : IRunValueSource
    {
        public Task<RunBlock?> GetBlockAsync(string type, string name, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(
                $"The flow reads the {type} block '{name}', but weir run has no Weir server to read it from: set WEIR_API_URL (and WEIR_API_KEY when the server has a key) and run again.");

        public Task<string?> GetVariableAsync(string name, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(
                $"The flow reads the variable '{name}', but weir run has no Weir server to read it from: set WEIR_API_URL (and WEIR_API_KEY when the server has a key) and run again.");
    }
}
