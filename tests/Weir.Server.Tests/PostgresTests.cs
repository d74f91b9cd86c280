using Weir.Server.Tests.Infrastructure;

namespace Weir.Server.Tests;

/// <summary>The database suite on PostgreSQL: one private cluster for the run, a database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTests(PostgresFixture postgres) : DatabaseSuite
{
    protected override async Task<string?> NewDatabaseAsync() => await postgres.CreateDatabaseAsync();
}
