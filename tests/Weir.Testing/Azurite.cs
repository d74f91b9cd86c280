namespace Weir.Testing;

/// <summary>azurite, the Azure Blob Storage emulator tests/infra/azurite.sh runs on 127.0.0.1.</summary>
public static class Azurite
{
    /// <summary>The script that starts and stops it.</summary>
    public const string Script = "azurite.sh";

    /// <summary>azurite's published development account.</summary>
    public const string Account = "devstoreaccount1";

    /// <summary>azurite's published development account key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Starts one in a temp folder of its own; its <see cref="InfraServer.Url"/> is the account URL (http://127.0.0.1:PORT/devstoreaccount1).</summary>
    public static Task<InfraServer> StartAsync() => InfraServer.StartOnFreePortAsync(Script);

    /// <summary>The connection string of the development account at <paramref name="accountUrl"/>.</summary>
    public static string ConnectionString(string accountUrl) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={accountUrl};";
}
