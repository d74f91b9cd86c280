namespace Weir.Storage.Tests.ObjectStores;

[CollectionDefinition(Name)]
public sealed class GcsEmulatorCollection : ICollectionFixture<GcsEmulatorFixture>
{
    public const string Name = "gcs emulator";
}
