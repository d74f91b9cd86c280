using Azure.Storage.Blobs;

namespace Weir.Storage.Tests.ObjectStores;

/// <summary>azurite (blob service) on 127.0.0.1, started once for the collection by tests/infra/azurite.sh and stopped by PID.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>azurite's published development account and key.</summary>
    public const string Account = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Emulator _emulator = new("azurite.sh");

    /// <summary>The account URL, e.g. http://127.0.0.1:PORT/devstoreaccount1.</summary>
    public string AccountUrl => _emulator.Url;

    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={AccountUrl};";

    public Task InitializeAsync() => _emulator.StartAsync();

    public Task DisposeAsync() => _emulator.StopAsync();

    public async Task<string> CreateContainerAsync()
    {
        var name = "weir-" + Guid.NewGuid().ToString("N")[..12];
        await new BlobContainerClient(ConnectionString, name).CreateAsync();
        return name;
    }
}
