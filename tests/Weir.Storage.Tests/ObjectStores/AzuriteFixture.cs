using Azure.Storage.Blobs;

namespace Weir.Storage.Tests.ObjectStores;

/// <summary>azurite (blob service) on 127.0.0.1, started once for the collection by tests/infra/azurite.sh and stopped by PID.</summary>
public sealed class AzuriteFixture() : InfraServerFixture("azurite.sh")
{
    /// <summary>The account URL, e.g. http://127.0.0.1:PORT/devstoreaccount1.</summary>
    public string AccountUrl => Endpoint;

    public string ConnectionString => Emulators.AzuriteConnectionString(AccountUrl);

    public async Task<string> CreateContainerAsync()
    {
        var name = "weir-" + Guid.NewGuid().ToString("N")[..12];
        await new BlobContainerClient(ConnectionString, name).CreateAsync();
        return name;
    }
}
