using Microsoft.Extensions.Logging;
using Weir.Server.Tests.Infrastructure;

namespace Weir.Server.Tests;

/// <summary>The database suite on SQLite, a temp file per test; plus what only SQLite does.</summary>
public sealed class SqliteTests : DatabaseSuite
{
    protected override Task<string?> NewDatabaseAsync() => Task.FromResult<string?>(null);

    [Fact]
    public async Task Files_ADatabaseFileOthersMayRead_IsReportedAtStart()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var home = Directory.CreateTempSubdirectory("weir-loose-").FullName;
        try
        {
            var database = Path.Combine(home, "weir.db");
            await File.WriteAllBytesAsync(database, []);
            File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await using var server = await TestServer.StartAsync(new TestServerOptions { Home = home, BackgroundServices = false });

            server.Log.Text.ShouldContain($"The database file {database} may be read by other users (mode 644); it holds login sessions and encrypted secrets, so make it the server's alone: chmod 600 {database}*.");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
