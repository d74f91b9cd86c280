namespace Weir.FaultTests;

/// <summary>One private PostgreSQL cluster for the whole fault suite (scenarios use their own pools and deployments).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public Postgres Db { get; private set; } = null!;

    public async Task InitializeAsync() => Db = await Postgres.StartAsync();

    public async Task DisposeAsync() => await Db.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "fault suite on postgres";
}
