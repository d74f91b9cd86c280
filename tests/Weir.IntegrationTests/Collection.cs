namespace Weir.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class ServerAndWorkerCollection : ICollectionFixture<ServerAndWorkerFixture>
{
    public const string Name = "server and worker";
}
