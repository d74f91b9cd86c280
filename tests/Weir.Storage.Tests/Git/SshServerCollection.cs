namespace Weir.Storage.Tests.Git;

[CollectionDefinition(Name)]
public sealed class SshServerCollection : ICollectionFixture<SshServerFixture>
{
    public const string Name = "ssh git server";
}
