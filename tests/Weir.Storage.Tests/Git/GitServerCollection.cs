namespace Weir.Storage.Tests.Git;

[CollectionDefinition(Name)]
public sealed class GitServerCollection : ICollectionFixture<GitServerFixture>
{
    public const string Name = "git server";
}
