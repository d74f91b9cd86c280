using Microsoft.Extensions.Logging.Abstractions;
using Weir.Client;

namespace Weir.Worker.Tests;

/// <summary>The in-process pool's journal of run ends: a dead worker's ends are reported by the next worker on the same WEIR_HOME; a live worker's journal is left alone.</summary>
public sealed class RunEndJournalTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("weir-journal-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string Folder => new WorkerPaths(_home).Journals;

    [Fact]
    public async Task Replay_OfADeadWorkersJournal_ReportsItsRunEndsOnce_AndRemovesIt()
    {
        var completed = Guid.NewGuid();
        var failed = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        Directory.CreateDirectory(Folder);
        // What a killed worker leaves: its journal, no longer locked by anyone.
        await File.WriteAllTextAsync(Path.Combine(Folder, "w1-123-abcd.journal"),
            $"{completed:N}\tCompleted\t{at:O}\t\n{failed:N}\tFailed\t{at:O}\tTask run 'Load-0' failed:\\tboom\\nline two\nnot a journal line\n");
        var server = new InMemoryWorkerServer(_home);

        var sent = await RunEndJournal.ReplayAsync(server, Folder, NullLogger.Instance, CancellationToken.None);

        sent.ShouldBe(2);
        server.States.ShouldContain((completed, StateType.Completed, (string?)string.Empty));
        server.States.ShouldContain((failed, StateType.Failed, (string?)"Task run 'Load-0' failed:\tboom\nline two"));
        Directory.EnumerateFiles(Folder).ShouldBeEmpty();
        (await RunEndJournal.ReplayAsync(server, Folder, NullLogger.Instance, CancellationToken.None)).ShouldBe(0);
    }

    /// <summary>
    /// The in-process pool sends a run's Running state in the batch its end sends, so a worker killed before that batch leaves
    /// the run Pending, and the server refuses to end a Pending run (Pending cannot become Completed). The fault suite's
    /// in-process kill scenario found such runs run again though their end was in the journal.
    /// </summary>
    [Fact]
    public async Task Replay_ReportsEachRunRunningBeforeItsEnd_SoARunTheServerStillHasPendingCanEnd()
    {
        var run = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "w1-123-abcd.journal"), $"{run:N}\tCompleted\t{at:O}\t\n");
        var server = new InMemoryWorkerServer(_home);

        (await RunEndJournal.ReplayAsync(server, Folder, NullLogger.Instance, CancellationToken.None)).ShouldBe(1);

        server.States.Where(s => s.Run == run).Select(s => s.Type).ShouldBe([StateType.Running, StateType.Completed]);
    }

    [Fact]
    public async Task Replay_AgainstARealServer_IsTakenFromTheClaimingKey_AndRefusedFromAnother()
    {
        // Issue 16: a run's writes come only from the worker key that claimed it. A worker of that key reports a dead worker's
        // ends (under another worker name); another key's worker is refused and drops the journal instead of retrying for ever.
        const string admin = "admin-key-0123456789abcdef";
        const string keyA = "worker-a-key-0123456789";
        const string keyB = "worker-b-key-0123456789";
        await using var server = await TestServer.StartAsync(new TestServerOptions
        {
            ApiKey = admin, WorkerApiKeys = [$"a:{keyA}@default", $"b:{keyB}@default"], BackgroundServices = false,
        });
        await server.Client.DeployAsync(new DeploymentRequest
        {
            FlowName = "example", Name = "nightly", Entrypoint = "flows/example.cs:example", WorkPool = "default", Structure = new FlowStructure("example", [], []),
            PullSteps = [new System.Text.Json.Nodes.JsonObject { ["set_working_directory"] = new System.Text.Json.Nodes.JsonObject { ["directory"] = "/tmp" } }],
        }, default);
        var mine = await server.Client.CreateRunAsync("example", "nightly", null, default);
        var theirs = await server.Client.CreateRunAsync("example", "nightly", null, default);
        using var clientA = new WeirClient(server.Url, keyA);
        using var clientB = new WeirClient(server.Url, keyB);
        (await clientA.ClaimAsync("default", new ClaimRequest("worker-1", 0), default)).ShouldHaveSingleItem().FlowRunId.ShouldBe(mine.Id);
        (await clientB.ClaimAsync("default", new ClaimRequest("worker-9", 0), default)).ShouldHaveSingleItem().FlowRunId.ShouldBe(theirs.Id);
        await clientA.SetStateAsync(mine.Id, new StateRequest(StateType.Running), default);
        await clientB.SetStateAsync(theirs.Id, new StateRequest(StateType.Running), default);
        var at = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "worker-1-1-aaaa.journal"), $"{mine.Id:N}\tCompleted\t{at:O}\t\n");
        await File.WriteAllTextAsync(Path.Combine(Folder, "worker-9-2-bbbb.journal"), $"{theirs.Id:N}\tCompleted\t{at:O}\t\n");

        // worker-2 of key a starts on the same WEIR_HOME.
        var sent = await RunEndJournal.ReplayAsync(new HttpWorkerServer(clientA, _home), Folder, NullLogger.Instance, CancellationToken.None);

        sent.ShouldBe(1);
        (await server.Client.GetRunAsync(mine.Id, default))!.State.ShouldBe(StateType.Completed);
        (await server.Client.GetRunAsync(theirs.Id, default))!.State.ShouldBe(StateType.Running, "key a may not end key b's run");
        Directory.EnumerateFiles(Folder).ShouldBeEmpty("a journal the server refuses would be refused at every start");
    }

    [Fact]
    public async Task Replay_LeavesALiveWorkersJournal_AndItsCleanCloseRemovesIt()
    {
        var server = new InMemoryWorkerServer(_home);
        var journal = RunEndJournal.Open(Folder, "live worker");
        journal.Record(Guid.NewGuid(), new State(StateType.Completed, DateTimeOffset.UtcNow));

        (await RunEndJournal.ReplayAsync(server, Folder, NullLogger.Instance, CancellationToken.None)).ShouldBe(0);
        server.States.ShouldBeEmpty();
        Directory.EnumerateFiles(Folder).ShouldHaveSingleItem();

        journal.Dispose();
        Directory.EnumerateFiles(Folder).ShouldBeEmpty("a worker that stops cleanly has reported every end");
    }

    [Fact]
    public async Task AJournalUnderConstantLoad_GoesOnInANewFile_AndAFullFileGoesOnceItsEndsAreDelivered()
    {
        // A worker that is never idle: its sink always holds something, yet the journal must not grow for ever.
        long queued = 0, delivered = 0;
        var journal = RunEndJournal.Open(Folder, "busy", () => queued, () => delivered);
        var ends = new List<Guid>();
        for (var i = 0; i < RunEndJournal.RotateAfter + 10; i++)
        {
            var id = Guid.NewGuid();
            ends.Add(id);
            queued += 3; // the run's events, its end the last of them, queued before the end is recorded
            journal.Record(id, new State(StateType.Completed, DateTimeOffset.UtcNow));
            delivered = queued - 30; // the sink runs ten runs behind
        }

        journal.Files.ShouldBe(2, "the full file's last ends are not delivered yet");

        delivered = queued;
        journal.Record(Guid.NewGuid(), new State(StateType.Completed, DateTimeOffset.UtcNow));
        journal.Files.ShouldBe(1, "every end in the full file is delivered");
        Directory.EnumerateFiles(Folder).ShouldHaveSingleItem();

        // Killed now (its files left as they are, unlocked), the next worker reports only the ends of the current file.
        journal.Abandon();
        var server = new InMemoryWorkerServer(_home);
        (await RunEndJournal.ReplayAsync(server, Folder, NullLogger.Instance, CancellationToken.None)).ShouldBe(11);
        server.States.Select(s => s.Run).ShouldNotContain(ends[0]);
    }

    [Fact]
    public async Task AWorkerStoppedWhileTheServerWasUnreachable_LeavesItsJournal_ForTheNextWorkerToReport()
    {
        var journal = RunEndJournal.Open(Folder, "cut-off", () => 5, () => 0);
        var id = Guid.NewGuid();
        journal.Record(id, new State(StateType.Completed, DateTimeOffset.UtcNow));

        journal.Abandon();

        var server = new InMemoryWorkerServer(_home);
        (await RunEndJournal.ReplayAsync(server, Folder, NullLogger.Instance, CancellationToken.None)).ShouldBe(1);
        server.States.ShouldContain(s => s.Run == id && s.Type == StateType.Completed);
    }
}
