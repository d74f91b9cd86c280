using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Weir.SecurityTests;

/// <summary>
/// Issue 16, points 7 and 8: the files a server and a worker make are private to their user, and a worker told to stop
/// (SIGTERM) claims no more, lets a short run end and stops a long one when its drain is over.
/// </summary>
[Collection(SecuredCollection.Name)]
public sealed class FileAndStopTests(SecuredCluster cluster)
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void DatabaseFilesAndWeirHome_ArePrivateToTheirUser()
    {
        var database = Path.Combine(cluster.Server.Home, "weir.db");
        foreach (var file in new[] { database, database + "-wal" })
        {
            File.Exists(file).ShouldBeTrue(file);
            (File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite))
                .ShouldBe((UnixFileMode)0, $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
        }

        // The worker made its WEIR_HOME itself.
        Directory.Exists(cluster.WorkerHome).ShouldBeTrue();
        File.GetUnixFileMode(cluster.WorkerHome).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task Sigterm_DrainsAShortRunToCompleted_AndCancelsALongOneAfterTheDrain()
    {
        await using var worker = cluster.WorkerCli.StartWorker(cluster.Project, SecuredCluster.DrainPool, "sec-drainer", "--limit", "2", "--drain-seconds", "10");
        var shortRun = await cluster.Admin.CreateRunAsync("probe", "nap", new JsonObject { ["seconds"] = 5 }, default);
        var longRun = await cluster.Admin.CreateRunAsync("probe", "nap", new JsonObject { ["seconds"] = 600 }, default);
        foreach (var id in new[] { shortRun.Id, longRun.Id })
        {
            await Poll.UntilAsync(async () => (await cluster.Admin.GetRunAsync(id, default))!.State == StateType.Running, $"flow run {id} running", TimeSpan.FromMinutes(2));
        }

        var signalled = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var shortEnd = await cluster.WaitForFinalAsync(shortRun.Id, TimeSpan.FromMinutes(1));
        var longEnd = await cluster.WaitForFinalAsync(longRun.Id, TimeSpan.FromMinutes(2));
        (await worker.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBeTrue("the worker ends after its drain");

        shortEnd.State.ShouldBe(StateType.Completed, shortEnd.StateMessage);
        longEnd.State.ShouldBe(StateType.Crashed, longEnd.StateMessage);
        longEnd.StateMessage.ShouldNotBeNull().ShouldContain("sec-drainer");
        signalled.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(9), "the long run was stopped only when the 10 s drain was over");
        worker.Output.ShouldContain("SIGTERM received");
        worker.Output.ShouldContain("waits up to 10 s");
    }
}
