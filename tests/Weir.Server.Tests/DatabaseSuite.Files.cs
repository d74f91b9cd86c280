using System.Text.Json.Nodes;
using Weir.Client;

namespace Weir.Server.Tests;

/// <summary>What the server writes to disk is its own user's alone.</summary>
public abstract partial class DatabaseSuite
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Files_WeirHomeIs0700_AndTheKeyFileTheDatabaseItsWalAndShmAre0600_AfterAWrite()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var root = Directory.CreateTempSubdirectory("weir-modes-").FullName;
        var home = Path.Combine(root, "user", ".weir"); // neither exists yet: the server makes both
        try
        {
            await using var server = await WeirServer.StartAsync(new WeirServerOptions
            {
                Port = 0, WeirHome = home, DatabaseUrl = await NewDatabaseAsync(), ApiKey = null, WorkerApiKeys = [], SecretKey = null, BackgroundServices = false,
            });
            using var client = new WeirClient(server.Url);
            await client.PutBlockAsync("secret", "token", new JsonObject { ["value"] = "written to disk" }, default);
            await client.PutVariableAsync("greeting", "hello", default);

            File.GetUnixFileMode(home).ShouldBe(OwnerOnlyFolder, home);
            File.GetUnixFileMode(Path.Combine(root, "user")).ShouldBe(OwnerOnlyFolder, "a parent folder the server created");
            File.GetUnixFileMode(Path.Combine(home, "secret.key")).ShouldBe(OwnerOnlyFile);
            if (server.DatabasePath is { } database)
            {
                database.ShouldBe(Path.Combine(home, "weir.db"));
                foreach (var file in new[] { database, database + "-wal", database + "-shm" })
                {
                    File.Exists(file).ShouldBeTrue(file);
                    File.GetUnixFileMode(file).ShouldBe(OwnerOnlyFile, file);
                }

                new FileInfo(database + "-wal").Length.ShouldBeGreaterThan(0, "the writes went to the WAL");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
