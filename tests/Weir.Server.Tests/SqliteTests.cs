namespace Weir.Server.Tests;

/// <summary>The database suite on SQLite, a temp file per test.</summary>
public sealed class SqliteTests : DatabaseSuite
{
    protected override Task<string?> NewDatabaseAsync() => Task.FromResult<string?>(null);
}
