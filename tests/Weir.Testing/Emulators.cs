using System.Security.Cryptography;
using System.Text.Json;

namespace Weir.Testing;

/// <summary>
/// The object stores of tests/infra for the tests (all on 127.0.0.1, each started on a free port in a temp folder of
/// its own): s3rver (S3), azurite (Azure Blob Storage) and firebase-tools' GCS JSON-API emulator, with the
/// credentials each takes.
/// </summary>
public static class Emulators
{
    /// <summary>s3rver (tests/infra/s3rver.sh); its <see cref="InfraServer.Url"/> is the endpoint.</summary>
    public static Task<InfraServer> StartS3rverAsync() => InfraServer.StartOnFreePortAsync("s3rver.sh");

    /// <summary>s3rver's fixed access key; its secret key is the same.</summary>
    public const string S3rverKey = "S3RVER";

    /// <summary>azurite (tests/infra/azurite.sh); its <see cref="InfraServer.Url"/> is the account URL, http://127.0.0.1:PORT/devstoreaccount1.</summary>
    public static Task<InfraServer> StartAzuriteAsync() => InfraServer.StartOnFreePortAsync("azurite.sh");

    /// <summary>azurite's published development account.</summary>
    public const string AzuriteAccount = "devstoreaccount1";

    /// <summary>azurite's published development account key.</summary>
    public const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The connection string of azurite's development account at <paramref name="accountUrl"/>.</summary>
    public static string AzuriteConnectionString(string accountUrl) =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={AzuriteKey};BlobEndpoint={accountUrl};";

    /// <summary>The GCS emulator (tests/infra/gcs-emulator.sh), which creates buckets on first use and checks no credentials; its <see cref="InfraServer.Url"/> is the endpoint.</summary>
    public static Task<InfraServer> StartGcsAsync() => InfraServer.StartOnFreePortAsync("gcs-emulator.sh");

    /// <summary>The project of <see cref="GcsServiceAccountJson"/>.</summary>
    public const string GcsProject = "demo-weir";

    /// <summary>A new RSA private key (PKCS#8 PEM): GCS clients sign with it, the emulator does not check.</summary>
    public static string NewPrivateKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>A service-account key file of project <see cref="GcsProject"/> holding <paramref name="privateKey"/>.</summary>
    public static string GcsServiceAccountJson(string privateKey) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["project_id"] = GcsProject,
        ["private_key_id"] = "test-key-1",
        ["private_key"] = privateKey,
        ["client_email"] = "weir-test@demo-weir.iam.gserviceaccount.com",
        ["client_id"] = "1",
        ["token_uri"] = "https://oauth2.googleapis.com/token",
    });
}
