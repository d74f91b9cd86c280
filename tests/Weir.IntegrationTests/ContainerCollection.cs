namespace Weir.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class ContainerCollection : ICollectionFixture<ContainerFixture>
{
    public const string Name = "container pool";
}
