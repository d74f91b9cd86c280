namespace Weir.Storage.Tests.ObjectStores;

/// <summary>
/// A GCS JSON-API emulator on 127.0.0.1 (firebase-tools' storage emulator with a stub rules runtime),
/// started once for the collection by tests/infra/gcs-emulator.sh and stopped by PID. It creates buckets
/// on first use and does not check credentials.
/// </summary>
public sealed class GcsEmulatorFixture() : InfraServerFixture("gcs-emulator.sh")
{
    public static Task<string> CreateBucketAsync() => Task.FromResult("weir-" + Guid.NewGuid().ToString("N")[..12]);
}
