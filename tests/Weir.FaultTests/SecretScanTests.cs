using System.Text;
using System.Text.Json.Nodes;

namespace Weir.FaultTests;

/// <summary>
/// A secret used by every run (a Secret block referenced by a pull step, echoed by the step on purpose, and read
/// and printed by the flow itself with Secret.GetAsync, which also prints its environment) must appear nowhere it could leak: server and worker logs, run logs, the database, API responses,
/// the flow's output, the flow's and the pull step's environments, and the argument lists of every process on the
/// machine while the runs go.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SecretScanTests(PostgresFixture postgres)
{
    [Fact]
    public async Task SecretUsedByRuns_AppearsInNoLogDatabaseApiResponseOrProcessArguments()
    {
        var secret = "weir-fault-secret-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        var pull = """
            pull:
            - set_working_directory:
                directory: 'PROJECT'
            - run_shell_script:
                script: sh -c 'test -n "$FAULT_TOKEN" && echo token=$FAULT_TOKEN'
                env: { FAULT_TOKEN: '{{ weir.blocks.secret.fault-token }}' }
            """;
        await using var cluster = await Cluster.StartAsync(postgres.Cluster, "secrets", beforeDeploy: api =>
            api.PutBlockAsync("secret", "fault-token", new JsonObject { ["value"] = secret }, CancellationToken.None));

        // The flow also reads the secret itself (Secret.GetAsync, through its run's token) and prints it and its whole environment;
        // the pull step writes its environment to a file of its own, less FAULT_TOKEN, the one variable it asked for the secret in:
        // flow output and environments join the places searched.
        var environments = Path.Combine(cluster.Root, "environments");
        Directory.CreateDirectory(environments);
        var flowFile = Path.Combine(cluster.Project, "flows", "ledger.cs");
        var flow = await File.ReadAllTextAsync(flowFile);
        await File.WriteAllTextAsync(flowFile, flow.Replace("public static void Run(string ledger) => Append(ledger);", $$"""
            public static async Task Run(string ledger)
                {
                    Console.WriteLine("secret=" + await Secret.GetAsync("fault-token"));
                    foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Order())
                    {
                        Console.WriteLine("env " + name + "=" + System.Environment.GetEnvironmentVariable(name));
                    }

                    File.WriteAllLines(Path.Combine("{{environments}}", "flow-" + RunContext.Current!.FlowRun.Id), System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Select(k => k + "=" + System.Environment.GetEnvironmentVariable(k)));
                    Append(ledger);
                }
            """, StringComparison.Ordinal));
        pull = pull.Replace("echo token=$FAULT_TOKEN'", "echo token=$FAULT_TOKEN; env | grep -v ^FAULT_TOKEN= > \"$(mktemp -p ENVIRONMENTS step.XXXXXX)\"'", StringComparison.Ordinal).Replace("ENVIRONMENTS", environments, StringComparison.Ordinal);

        // Re-deploy with the pull steps that use the secret (the project folder is the cluster's own).
        var yaml = await File.ReadAllTextAsync(Path.Combine(cluster.Project, "weir.yaml"));
        await ProjectFiles.WriteWeirYamlAsync(cluster.Project, yaml.Replace("deployments:", pull.Replace("PROJECT", cluster.Project, StringComparison.Ordinal) + "\ndeployments:", StringComparison.Ordinal));
        var deploy = await cluster.Cli.RunAsync(cluster.Project, "deploy", cluster.Pool);
        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);

        using var scanning = new CancellationTokenSource();
        var scan = Task.Run(() => ScanArgumentListsAsync(secret, scanning.Token));
        cluster.StartWorker();
        cluster.StartWorker();
        var ids = await cluster.CreateRunsAsync(12);
        var runs = await cluster.WaitForFinalAsync(ids, TimeSpan.FromMinutes(3));
        await scanning.CancelAsync();
        var (processesSeen, scans, cmdlineHits) = await scan;

        var verdict = LedgerVerdict.Of(ids, runs, cluster.ReadLedger());
        verdict.ShouldBeClean(cluster.WorkerOutput);

        var apiText = new StringBuilder();
        using var http = new HttpClient { BaseAddress = cluster.Url };
        foreach (var path in new[] { "api/deployments", "api/flow-runs?limit=1000", "api/blocks", "api/blocks/secret/fault-token", "api/work-pools", "api/variables", "api/flows" })
        {
            apiText.AppendLine(await http.GetStringAsync(path));
        }

        var runLogs = new StringBuilder();
        foreach (var id in ids)
        {
            foreach (var path in new[] { $"api/flow-runs/{id}", $"api/flow-runs/{id}/states", $"api/flow-runs/{id}/task-runs", $"api/flow-runs/{id}/logs?limit=10000" })
            {
                runLogs.AppendLine(await http.GetStringAsync(path));
            }
        }

        var dump = await postgres.Cluster.DumpAsync();
        var places = new (string Place, string Text)[]
        {
            ("server log", cluster.ServerLog.Text),
            ("worker output", cluster.WorkerOutput),
            ("run logs, states and task runs (API)", runLogs.ToString()),
            ("API listings (deployments, runs, blocks, pools, variables, flows)", apiText.ToString()),
            ("database dump (pg_dump)", dump),
            ("process argument lists (/proc/*/cmdline)", cmdlineHits),
            ("flow and pull step environments", string.Join('\n', Directory.GetFiles(environments).Select(File.ReadAllText))),
        };
        var echoed = runLogs.ToString().Contains("token=********", StringComparison.Ordinal);
        ReliabilityDoc.Write("secrets", $"""
            ## Secret scan

            A Secret block's value (random, {secret.Length} characters) is used by every run: a pull step gets it in its
            environment through `{"{{"} weir.blocks.secret.fault-token {"}}"}` and echoes it on purpose
            (`sh -c 'echo token=$FAULT_TOKEN'`). {ids.Count} runs through 2 workers on PostgreSQL. While they ran,
            every process's `/proc/PID/cmdline` was read {scans} times over ({processesSeen} distinct processes).
            Then the value was searched for in each place below.

            | place | bytes searched | hits |
            |---|---|---|
            {string.Join("\n", places.Select(p => $"| {p.Place} | {(p.Place.StartsWith("process", StringComparison.Ordinal) ? "-" : Encoding.UTF8.GetByteCount(p.Text).ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} | {Count(p.Text, secret)} |"))}

            The echoed line reached the run logs masked: {(echoed ? "`token=********`" : "(not found)")}.
            """);
        foreach (var (place, text) in places)
        {
            Count(text, secret).ShouldBe(0, $"the secret appears in the {place}");
        }

        processesSeen.ShouldBeGreaterThan(10);
        Directory.GetFiles(environments, "flow-*").Length.ShouldBe(ids.Count, "every run's flow wrote its environment");
        Directory.GetFiles(environments, "step.*").Length.ShouldBeGreaterThanOrEqualTo(ids.Count, "every run's pull step wrote its environment");
        runLogs.ToString().ShouldContain("secret=********", customMessage: "the flow's own print of the secret should reach the run log masked");
        runLogs.ToString().ShouldContain("env PATH=", customMessage: "the flow printed its environment");
        echoed.ShouldBeTrue("the pull step's echo of the secret should reach the run log masked");
    }

    private static int Count(string text, string secret)
    {
        var count = 0;
        for (var at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Reads every process's argument list until cancelled; returns distinct processes seen, passes, and the lines that held the secret.</summary>
    private static async Task<(int Processes, int Scans, string Hits)> ScanArgumentListsAsync(string secret, CancellationToken stop)
    {
        var seen = new HashSet<string>();
        var hits = new StringBuilder();
        var scans = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                var name = Path.GetFileName(dir);
                if (name.Length == 0 || !char.IsDigit(name[0]))
                {
                    continue;
                }

                try
                {
                    var bytes = await File.ReadAllBytesAsync(Path.Combine(dir, "cmdline"), CancellationToken.None);
                    var text = Encoding.UTF8.GetString(bytes).Replace('\0', ' ');
                    seen.Add(name + ":" + text.GetHashCode(StringComparison.Ordinal));
                    if (text.Contains(secret, StringComparison.Ordinal))
                    {
                        hits.AppendLine(text);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The process ended meanwhile.
                }
            }

            scans++;
            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return (seen.Count, scans, hits.ToString());
    }
}
