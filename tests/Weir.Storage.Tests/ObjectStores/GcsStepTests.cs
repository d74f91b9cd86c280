namespace Weir.Storage.Tests.ObjectStores;

/// <summary>
/// GCS against its emulator, authenticating with a real service-account key made for the test (the
/// client signs JWT access tokens with it). The emulator does not check credentials, so "wrong
/// credentials" here is a key the client cannot use; the server's 401/403 path is the same code as the
/// other stores' and is not reachable on this emulator.
/// </summary>
[Collection(GcsEmulatorCollection.Name)]
public sealed class GcsStepTests(GcsEmulatorFixture gcs) : ObjectStoreStepTests
{
    private static readonly string s_serviceAccount = Emulators.GcsServiceAccountJson(Emulators.NewPrivateKeyPem());

    protected override string Suffix => "gcs";

    protected override string ContainerArgument => "bucket";

    protected override string? EndpointUrl => gcs.Endpoint;

    protected override string BlockType => "gcp-credentials";

    protected override string WrongSecret => "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ-not-a-key";

    protected override IReadOnlyDictionary<string, object?> Credentials => new Dictionary<string, object?>
    {
        ["_block_type"] = "gcp-credentials", ["service_account_info"] = s_serviceAccount, ["project"] = Emulators.GcsProject,
    };

    protected override IReadOnlyDictionary<string, object?> WrongCredentials => new Dictionary<string, object?>
    {
        ["_block_type"] = "gcp-credentials", ["service_account_info"] = Emulators.GcsServiceAccountJson($"-----BEGIN PRIVATE KEY-----\n{WrongSecret}\n-----END PRIVATE KEY-----\n"),
    };

    protected override Task<string> NewContainerAsync() => GcsEmulatorFixture.CreateBucketAsync();
}
