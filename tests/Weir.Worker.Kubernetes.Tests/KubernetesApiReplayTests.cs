using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using Weir.Client;
using Weir.Worker.Launchers;

namespace Weir.Worker.Kubernetes.Tests;

/// <summary>
/// The kubernetes launcher against a replay of recorded API server responses on 127.0.0.1 (<see cref="ReplayApiServer"/>): no real
/// Kubernetes API server runs here. Each test queues what a cluster answered in that case (watch events, a 410 Gone, an OOMKilled
/// pod, an eviction, an image pull error, a pod that stays Pending) and checks what the worker does and asks.
/// </summary>
public sealed class KubernetesApiReplayTests : IAsyncLifetime
{
    private readonly ReplayApiServer _api = new();
    private readonly FakeWorkerServer _server = new();
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _progress = new();
    private readonly Guid _run = Guid.CreateVersion7();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Replay_WatchEventsToSucceeded_SubmitsSecretThenJob_StreamsTheLog_AndEndsWithExitCode0()
    {
        Submits();
        _api.Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Pending(_run, "100"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Stream(Recorded.Bookmark("101"), Recorded.Event("MODIFIED", Recorded.Running(_run, "102")),
                Recorded.Event("MODIFIED", Recorded.Succeeded(_run, "103"))) with { LineDelay = TimeSpan.FromMilliseconds(200) })
            .Reply("GET", Recorded.LogPath(_run), Replay.Text("Flow run hello started", "hello from the pod"));
        using var launcher = Launcher();

        var exit = await launcher.LaunchAsync(TestRuns.Claimed(id: _run), Output(), CancellationToken.None);

        exit.ExitCode.ShouldBe(0);
        exit.Crashed.ShouldBeFalse();
        exit.What.ShouldBe($"flow Job flows/{Recorded.JobName(_run)} (pod {Recorded.PodName(_run)})");
        _lines.ShouldContain("hello from the pod");
        var requests = _api.Requests.Select(r => $"{r.Method} {r.PathAndQuery.Split('?')[0]}").ToList();
        requests.IndexOf($"POST {Recorded.SecretsPath}").ShouldBeLessThan(requests.IndexOf($"POST {Recorded.JobsPath}"), "the Secret exists before the pod that reads it");
        var job = JsonNode.Parse(_api.Requests.Single(r => r.Method == "POST" && r.PathAndQuery.StartsWith(Recorded.JobsPath, StringComparison.Ordinal)).Body)!;
        job["metadata"]!["name"]!.GetValue<string>().ShouldBe(Recorded.JobName(_run));
        job["metadata"]!["labels"]!["weir.flow-run-id"]!.GetValue<string>().ShouldBe(_run.ToString());
        job.ToJsonString().ShouldNotContain("key-123");
        job.ToJsonString().ShouldNotContain(TestRuns.Token);
        var secret = JsonNode.Parse(_api.Requests.Single(r => r.Method == "POST" && r.PathAndQuery.StartsWith(Recorded.SecretsPath, StringComparison.Ordinal)).Body)!;
        secret["data"]!.AsObject().Select(d => d.Key).ShouldBe(["WEIR_RUN_TOKEN"], "the pod gets the run's token, never the worker's key (issue 16)");
        secret.ToJsonString().ShouldNotContain(Convert.ToBase64String("key-123"u8.ToArray()));
        var owner = _api.Requests.Single(r => r.Method == "PATCH");
        owner.Body.ShouldContain("\"ownerReferences\"");
        owner.Body.ShouldContain("\"uid\":\"5f0c7d3e-1\"");
        var watch = _api.Requests.Single(r => r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal));
        watch.PathAndQuery.ShouldContain("resourceVersion=100", customMessage: "the watch starts where the list left off");
    }

    [Fact]
    public async Task Replay_410GoneInTheWatchStream_ListsAgainAndWatchesFromTheNewVersion()
    {
        Submits();
        _api.Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Pending(_run, "100"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Stream(Recorded.GoneEvent))
            .Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("4300", Recorded.Running(_run, "4300"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Stream(Recorded.Event("MODIFIED", Recorded.Succeeded(_run, "4301"))))
            .Reply("GET", Recorded.LogPath(_run), Replay.Text("done"));
        using var launcher = Launcher();

        var exit = await launcher.LaunchAsync(TestRuns.Claimed(id: _run), Output(), CancellationToken.None);

        exit.ExitCode.ShouldBe(0);
        var watches = _api.Requests.Where(r => r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal)).ToList();
        watches.Count.ShouldBe(2);
        watches[1].PathAndQuery.ShouldContain("resourceVersion=4300");
        _progress.ShouldContain(p => p.Contains("410 Gone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_410GoneAsTheWatchResponse_ListsAgain()
    {
        Submits();
        _api.Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Pending(_run, "100"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Json(Recorded.GoneStatus, 410))
            .Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("4300", Recorded.Succeeded(_run, "4300"))))
            .Reply("GET", Recorded.LogPath(_run), Replay.Text("done"));
        using var launcher = Launcher();

        var exit = await launcher.LaunchAsync(TestRuns.Claimed(id: _run), Output(), CancellationToken.None);

        exit.ExitCode.ShouldBe(0);
        _api.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.StartsWith(Recorded.PodsPath + "?", StringComparison.Ordinal) && !r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task Replay_OomKilledPod_CrashesTheRunNamingTheMemoryLimit()
    {
        var state = await RunThroughWorkerAsync(Recorded.OomKilled(_run, "102"));

        state.State.ShouldBe(StateType.Crashed);
        state.Message!.ShouldContain($"The flow Job flows/{Recorded.JobName(_run)} (pod {Recorded.PodName(_run)}) was killed for using more memory than its limit (OOMKilled, exit code 137, memory limit 256Mi); raise job variable resources.limits.memory.");
        state.Message!.ShouldContain("allocating a big table", customMessage: "the pod's last log lines are in the message");
    }

    [Fact]
    public async Task Replay_EvictedPod_CrashesTheRunWithTheKubeletsMessage()
    {
        var state = await RunThroughWorkerAsync(Recorded.Evicted(_run, "102"));

        state.State.ShouldBe(StateType.Crashed);
        state.Message!.ShouldContain("was evicted from node node-3: The node was low on resource: ephemeral-storage");
    }

    [Fact]
    public async Task Replay_ImagePullBackOff_CrashesTheRunNamingTheImage_AndDeletesTheJob()
    {
        Submits();
        _api.Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Pending(_run, "100"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Stream(Recorded.Event("MODIFIED", Recorded.ImagePullBackOff(_run, "101"))))
            .Reply("DELETE", $"{Recorded.JobsPath}/{Recorded.JobName(_run)}", Replay.Json(Recorded.Deleted));
        using var launcher = Launcher();

        var exit = await launcher.LaunchAsync(TestRuns.Claimed(id: _run), Output(), CancellationToken.None);

        exit.Crashed.ShouldBeTrue();
        exit.Reason!.ShouldStartWith("could not pull its image 'registry.example.com/flows:v1' (ImagePullBackOff: Back-off pulling image");
        _api.Requests.ShouldContain(r => r.Method == "DELETE", "a pod that cannot pull its image would wait for ever");
    }

    [Fact]
    public async Task Replay_PodPendingPastItsTimeout_CrashesTheRunWithTheSchedulersReason_AndDeletesTheJob()
    {
        Submits();
        _api.Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Unschedulable(_run, "100"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Stream(Recorded.Bookmark("101")) with { HoldOpen = TimeSpan.FromSeconds(30) })
            .Reply("DELETE", $"{Recorded.JobsPath}/{Recorded.JobName(_run)}", Replay.Json(Recorded.Deleted));
        using var launcher = Launcher();

        var exit = await launcher.LaunchAsync(TestRuns.Claimed(TestRuns.With("pending_timeout_seconds", 1), id: _run), Output(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        exit.Crashed.ShouldBeTrue();
        exit.Reason.ShouldBe("stayed Pending for 1 s (job variable pending_timeout_seconds): it was not scheduled (Unschedulable: 0/3 nodes are available: 3 Insufficient memory. "
            + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod).");
        _api.Requests.ShouldContain(r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Replay_Cancellation_DeletesTheJobWithForegroundPropagation()
    {
        Submits();
        _api.Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Running(_run, "100"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Stream(Recorded.Bookmark("101")) with { HoldOpen = TimeSpan.FromSeconds(30) })
            .Reply("GET", Recorded.LogPath(_run), Replay.Text("working") with { HoldOpen = TimeSpan.FromSeconds(30) })
            .Reply("DELETE", $"{Recorded.JobsPath}/{Recorded.JobName(_run)}", Replay.Json(Recorded.Deleted));
        using var launcher = Launcher();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var exit = await launcher.LaunchAsync(TestRuns.Claimed(id: _run), Output(), cancel.Token).WaitAsync(TimeSpan.FromSeconds(20));

        exit.Killed.ShouldBeTrue();
        var delete = _api.Requests.Single(r => r.Method == "DELETE");
        delete.PathAndQuery.ShouldContain("propagationPolicy=Foreground");
        delete.Body.ShouldContain("\"propagationPolicy\":\"Foreground\"");
    }

    [Fact]
    public async Task Replay_JobAlreadyExists_FollowsTheFirstSubmitInsteadOfStartingAnother()
    {
        _api.Reply("POST", Recorded.SecretsPath, Replay.Json(Recorded.AlreadyExists, 409))
            .Reply("POST", Recorded.JobsPath, Replay.Json(Recorded.AlreadyExists, 409))
            .Reply("GET", $"{Recorded.JobsPath}/{Recorded.JobName(_run)}", Replay.Json(Recorded.Job(_run)))
            .Reply("PATCH", $"{Recorded.SecretsPath}/{Recorded.JobName(_run)}-env", Replay.Json(Recorded.Created("Secret")))
            .Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Succeeded(_run, "100"))))
            .Reply("GET", Recorded.LogPath(_run), Replay.Text("done"));
        using var launcher = Launcher();

        var exit = await launcher.LaunchAsync(TestRuns.Claimed(id: _run), Output(), CancellationToken.None);

        exit.ExitCode.ShouldBe(0);
        _api.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.StartsWith(Recorded.JobsPath, StringComparison.Ordinal)).ShouldBe(1);
        _progress.ShouldContain(p => p.Contains("already exists: attempt 1 of this run was submitted before; following that Job instead of starting another", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_ForbiddenJobCreate_FailsTheRunNamingTheRoleToGrant()
    {
        _api.Reply("POST", Recorded.SecretsPath, Replay.Json(Recorded.Created("Secret"), 201))
            .Reply("POST", Recorded.JobsPath, Replay.Json("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"jobs.batch is forbidden: User \"system:serviceaccount:flows:weir-worker\" cannot create resource \"jobs\" in API group \"batch\" in the namespace \"flows\"","reason":"Forbidden","code":403}""", 403));
        using var launcher = Launcher();

        var error = await Should.ThrowAsync<RunPreparationException>(() => launcher.LaunchAsync(TestRuns.Claimed(id: _run), Output(), CancellationToken.None));

        error.Message.ShouldContain($"The worker may not create the Job {Recorded.JobName(_run)} of flow run {_run} in namespace 'flows' (403 Forbidden: jobs.batch is forbidden");
        error.Message.ShouldContain("docs/kubernetes.md");
    }

    [Fact]
    public async Task Replay_StartAfterARestart_AdoptsTheJobOfARunningRun_DeletesTheOneOfAnEndedRun_AndReportsThePoolsLiveJobs()
    {
        var going = _run;
        var ended = Guid.CreateVersion7();
        var others = Guid.CreateVersion7();
        _server.Runs[going] = FakeWorkerServer.Run(going, StateType.Running);
        _server.Runs[ended] = FakeWorkerServer.Run(ended, StateType.Completed);
        _api.Reply("GET", Recorded.JobsPath, Replay.Json(Recorded.JobList(Recorded.Job(going), Recorded.Job(ended))))
            .Reply("DELETE", $"{Recorded.JobsPath}/{Recorded.JobName(ended)}", Replay.Json(Recorded.Deleted))
            .Reply("GET", Recorded.JobsPath, Replay.Json(Recorded.JobList(Recorded.Job(going), Recorded.Job(others, worker: "worker-2"), Recorded.Job(Guid.CreateVersion7(), finished: true))))
            .Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Succeeded(going, "100"))))
            .Reply("GET", Recorded.LogPath(going), Replay.Text("done"));
        using var launcher = Launcher();
        using var stop = new CancellationTokenSource();

        var adopted = await launcher.StartAsync(stop.Token);

        adopted.Select(a => a.FlowRunId).ShouldBe([going]);
        _api.Requests.ShouldContain(r => r.Method == "DELETE" && r.PathAndQuery.Contains(Recorded.JobName(ended), StringComparison.Ordinal));
        _api.Requests.First().PathAndQuery.ShouldContain("labelSelector=weir.pool%3Dk8s%2Cweir.worker%3Dworker-1");
        launcher.SeenAlive.ShouldBe([going, others], ignoreOrder: true, customMessage: "a worker vouches for every live Job of its pool, another worker's too");
        (await adopted[0].WaitAsync(Output(), CancellationToken.None)).ExitCode.ShouldBe(0);
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Replay_WorkerStopping_LeavesTheJobRunning()
    {
        Submits();
        _api.Reply("GET", Recorded.JobsPath, Replay.Json(Recorded.JobList()))
            .Reply("GET", Recorded.JobsPath, Replay.Json(Recorded.JobList()))
            .Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Running(_run, "100"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Stream(Recorded.Bookmark("101")) with { HoldOpen = TimeSpan.FromSeconds(30) })
            .Reply("GET", Recorded.LogPath(_run), Replay.Text("working") with { HoldOpen = TimeSpan.FromSeconds(30) });
        using var launcher = Launcher();
        using var stop = new CancellationTokenSource();
        await launcher.StartAsync(stop.Token);
        stop.CancelAfter(TimeSpan.FromSeconds(1));

        var exit = await launcher.LaunchAsync(TestRuns.Claimed(id: _run), Output(), stop.Token).WaitAsync(TimeSpan.FromSeconds(20));

        exit.Detached.ShouldBeTrue();
        exit.Killed.ShouldBeFalse();
        _api.Requests.ShouldNotContain(r => r.Method == "DELETE", "a worker that stops leaves its Jobs for its next start");
    }

    /// <summary>A claimed run through the whole worker (claim, launch, state) until its pod ends as <paramref name="endedPod"/>; returns the state it set.</summary>
    private async Task<(Guid Run, StateType State, string? Message)> RunThroughWorkerAsync(string endedPod)
    {
        Submits();
        _api.Reply("GET", Recorded.JobsPath, Replay.Json(Recorded.JobList()));
        for (var i = 0; i < 50; i++)
        {
            _api.Reply("GET", Recorded.JobsPath, Replay.Json(Recorded.JobList(Recorded.Job(_run))));
        }

        _api.Reply("GET", Recorded.PodsPath, Replay.Json(Recorded.PodList("100", Recorded.Running(_run, "100"))))
            .Reply("GET", Recorded.PodsPath + " watch", Replay.Stream(Recorded.Event("MODIFIED", endedPod)) with { LineDelay = TimeSpan.FromMilliseconds(300) })
            .Reply("GET", Recorded.LogPath(_run), Replay.Text("Flow run hello started", "allocating a big table"));
        _server.ToClaim.Enqueue(TestRuns.Claimed(id: _run));
        var options = new WorkerOptions { Pool = "k8s", Name = "worker-1", ClaimWait = TimeSpan.FromMilliseconds(50) };
        using var launcher = Launcher(options);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var worker = new Worker(_server, options, launcher).RunAsync(stop.Token);
        while (_server.States.IsEmpty && !stop.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await worker;
        return _server.States.Single();
    }

    private void Submits() =>
        _api.Reply("POST", Recorded.SecretsPath, Replay.Json(Recorded.Created("Secret"), 201))
            .Reply("POST", Recorded.JobsPath, Replay.Json(Recorded.Job(_run), 201))
            .Reply("PATCH", $"{Recorded.SecretsPath}/{Recorded.JobName(_run)}-env", Replay.Json(Recorded.Created("Secret")));

    private KubernetesFlowLauncher Launcher(WorkerOptions? worker = null) => new(_server, new KubernetesLauncherOptions
    {
        Worker = worker ?? new WorkerOptions { Pool = "k8s", Name = "worker-1" },
        Client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _api.Url }),
        Namespace = Recorded.Namespace,
        ApiUrl = "http://weir.example:4200",
        RetryDelay = TimeSpan.FromMilliseconds(100),
        CensusInterval = TimeSpan.FromMilliseconds(200),
    });

    private FlowOutput Output() => new((line, _) => _lines.Enqueue(line), _progress.Enqueue);
}
