using System.Security.Cryptography;
using System.Text.Json;

namespace Weir.Testing;

/// <summary>
/// The GCS JSON-API emulator tests/infra/gcs-emulator.sh runs on 127.0.0.1 (firebase-tools' storage emulator): it
/// creates buckets on first use and checks no credentials, so clients sign with a service-account key made for the test.
/// </summary>
public static class GcsEmulator
{
    /// <summary>The script that starts and stops it.</summary>
    public const string Script = "gcs-emulator.sh";

    /// <summary>The project of <see cref="ServiceAccountJson"/>.</summary>
    public const string Project = "demo-weir";

    /// <summary>Starts one in a temp folder of its own; its <see cref="InfraServer.Url"/> is the endpoint.</summary>
    public static Task<InfraServer> StartAsync() => InfraServer.StartOnFreePortAsync(Script);

    /// <summary>A new RSA private key (PKCS#8 PEM) for <see cref="ServiceAccountJson"/>.</summary>
    public static string NewPrivateKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>A service-account key file of project <see cref="Project"/> holding <paramref name="privateKey"/>.</summary>
    public static string ServiceAccountJson(string privateKey) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["project_id"] = Project,
        ["private_key_id"] = "test-key-1",
        ["private_key"] = privateKey,
        ["client_email"] = "weir-test@demo-weir.iam.gserviceaccount.com",
        ["client_id"] = "1",
        ["token_uri"] = "https://oauth2.googleapis.com/token",
    });
}
