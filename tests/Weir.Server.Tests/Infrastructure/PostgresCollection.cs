namespace Weir.Server.Tests.Infrastructure;

[CollectionDefinition(Name)]
/// <summary>The database suite's PostgreSQL (one cluster for the run, a database per test).</summary>
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
