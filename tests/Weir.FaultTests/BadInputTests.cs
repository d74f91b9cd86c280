using System.Text;
using System.Text.Json.Nodes;
using Weir.Client;

namespace Weir.FaultTests;

/// <summary>
/// A corpus of bad input through the real CLI and API: each case must fail with a clear error that
/// names the culprit (file, line, key, step or value) and leave no partial state on the server.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BadInputTests(PostgresFixture postgres)
{
    /// <summary>A flow that deploys: the shared trivial flow.</summary>
    private const string GoodFlow = SampleFlows.Trivial;

    private static string Yaml(string deployment, string entrypoint = "flows/f.cs:trivial", string extra = "", string pull = "") => $"""
        name: bad
        {pull}
        deployments:
        - name: {deployment}
          entrypoint: {entrypoint}
          work_pool: {"{"} name: bad {"}"}
        {extra}
        """;

    /// <summary>One case: the files of a project, the command, and what the error must name.</summary>
    private sealed record Case(string Name, Dictionary<string, byte[]> Files, string[] Command, params string[] MustName);

    private static Dictionary<string, byte[]> Files(string yaml, string flow = GoodFlow) => new()
    {
        ["weir.yaml"] = Encoding.UTF8.GetBytes(yaml),
        ["flows/f.cs"] = Encoding.UTF8.GetBytes(flow),
    };

    private static IEnumerable<Case> DeployCases()
    {
        yield return new("YAML syntax error", Files("name: bad\ndeployments:\n- name: yaml-syntax\n  entrypoint: [flows/f.cs:trivial\n"), ["deploy", "yaml-syntax"], "weir.yaml:5", "not valid YAML");
        yield return new("bad indentation", Files("name: bad\ndeployments:\n- name: indent\n  entrypoint: flows/f.cs:trivial\n   work_pool: bad\n"), ["deploy", "indent"], "weir.yaml", "5");
        yield return new("no deployments block", Files("name: bad\n"), ["deploy", "nothing"], "weir.yaml", "no deployments");
        yield return new("deployment without entrypoint", Files("name: bad\ndeployments:\n- name: no-entry\n  work_pool: { name: bad }\n"), ["deploy", "no-entry"], "entrypoint");
        yield return new("unknown step name", Files(Yaml("unknown-step", pull: "pull:\n- git_clonez:\n    repository: https://example.invalid/x.git")), ["deploy", "unknown-step"], "git_clonez", "weir.yaml:");
        yield return new("unknown step output", Files(Yaml("wrong-token", pull: "pull:\n- set_working_directory:\n    directory: '{{ push_cod.directory }}'")), ["deploy", "wrong-token"], "push_cod", "weir.yaml:");
        yield return new("unset environment variable", Files(Yaml("wrong-env", pull: "pull:\n- set_working_directory:\n    directory: '{{ $WEIR_FAULT_NOT_SET }}'")), ["deploy", "wrong-env"], "WEIR_FAULT_NOT_SET", "weir.yaml:");
        yield return new("unterminated template", Files(Yaml("open-token", pull: "pull:\n- set_working_directory:\n    directory: '{{ push_code.directory'")), ["deploy", "open-token"], "push_code.directory", "no closing", "weir.yaml:");
        yield return new("compile error", Files(Yaml("compile"), GoodFlow.Replace("x + 1", "Missing(x)", StringComparison.Ordinal)), ["deploy", "compile"], "f.cs(", "CS0103", "Missing");
        yield return new("unknown flow in entrypoint", Files(Yaml("no-flow", entrypoint: "flows/f.cs:nope")), ["deploy", "no-flow"], "nope");
        yield return new("missing flow file", Files(Yaml("no-file", entrypoint: "flows/missing.cs:trivial")), ["deploy", "no-file"], "flows/missing.cs");
        yield return new("entrypoint escaping the project", Files(Yaml("escape", entrypoint: "../../../etc/passwd:trivial")), ["deploy", "escape"], "../../../etc/passwd", "outside the project folder", "weir.yaml:");
        // Object-store pushes (issue 23): a manifest name or folder that would leave the destination folder is refused
        // before anything is uploaded or removed; what a push keeps is tested on the emulators (ObjectStoreStepTests).
        const string push = "push:\n- push_to_s3:\n    bucket: b\n    endpoint_url: http://127.0.0.1:9\n";
        yield return new("push manifest name with a path", Files(Yaml("manifest-path", pull: push + "    manifest: ../other/.weir-manifest.json")), ["deploy", "manifest-path"], "'../other/.weir-manifest.json'", "push_to_s3", "weir.yaml:");
        yield return new("push folder escaping the bucket", Files(Yaml("folder-escape", pull: push + "    folder: ../../x")), ["deploy", "folder-escape"], "'../../x'", "push_to_s3", "weir.yaml:");
        var latin1 = Files(Yaml("latin1"));
        latin1["flows/f.cs"] = [.. Encoding.UTF8.GetBytes("using Weir;\n// caf"), 0xE9, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\npublic static class Trivial { [Flow(\"trivial\")] public static void Run() => Missing(); }\n")];
        yield return new("non-UTF-8 flow file", latin1, ["deploy", "latin1"], "f.cs");
        var badYaml = Files(Yaml("latin1-yaml"));
        badYaml["weir.yaml"] = [.. Encoding.UTF8.GetBytes("name: bad\n# caf"), 0xE9, .. Encoding.UTF8.GetBytes("\ndeployments:\n- name: latin1-yaml\n  entrypoint: flows/f.cs:trivial\n  work_pool: { name: bad }\n")];
        yield return new("non-UTF-8 weir.yaml", badYaml, ["deploy", "latin1-yaml"], "weir.yaml:2:6", "not UTF-8");
    }

    [Fact]
    public async Task BadInputCorpus_EveryCaseIsAClearErrorNamingTheCulpritWithNoPartialState()
    {
        await using var cluster = await Cluster.StartAsync(postgres.Cluster, "badinput");
        var rows = new List<string>();
        var failures = new List<string>();
        foreach (var @case in DeployCases())
        {
            var folder = Directory.CreateTempSubdirectory("weir-bad-").FullName;
            try
            {
                foreach (var (path, bytes) in @case.Files)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
                    await File.WriteAllBytesAsync(Path.Combine(folder, path), bytes);
                }

                var before = await SnapshotAsync(cluster.Api);
                var (exit, stdout, stderr) = await cluster.Cli.RunAsync(folder, @case.Command);
                var after = await SnapshotAsync(cluster.Api);
                var output = (stderr + "\n" + stdout).Trim();
                var problems = Judge(exit, output, @case.MustName, before == after);
                rows.Add($"| {@case.Name} | `weir {string.Join(' ', @case.Command)}` | {exit} | {Cell(output)} | {(problems.Count == 0 ? "yes" : "**no**: " + string.Join("; ", problems))} |");
                if (problems.Count > 0)
                {
                    failures.Add($"{@case.Name}: {string.Join("; ", problems)}\n    output: {output}");
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        foreach (var (name, check) in ApiCases(cluster))
        {
            var before = await SnapshotAsync(cluster.Api);
            var (status, message, mustName) = await check();
            var after = await SnapshotAsync(cluster.Api);
            var problems = new List<string>();
            if (status is < 400 or >= 500)
            {
                problems.Add($"answered {status}, not a 4xx");
            }

            problems.AddRange(mustName.Where(n => !message.Contains(n, StringComparison.Ordinal)).Select(n => $"does not name '{n}'"));
            if (before != after)
            {
                problems.Add("the server's state changed");
            }

            rows.Add($"| {name} | API | {status} | {Cell(message)} | {(problems.Count == 0 ? "yes" : "**no**: " + string.Join("; ", problems))} |");
            if (problems.Count > 0)
            {
                failures.Add($"{name}: {string.Join("; ", problems)}\n    message: {message}");
            }
        }

        ReliabilityDoc.Write("bad-input", $"""
            ## Bad input

            Each case runs the real `weir` CLI (or the API) against the server on PostgreSQL. "Clear" means: the command
            fails (exit code 2, or a 4xx), the error names the culprit (the file and line, key, step, value or limit),
            prints no stack trace, and the server's deployments, flows and runs are exactly as before. Object-store keys
            that would escape the target folder are refused against real S3/Azure/GCS emulators in
            `tests/Weir.Storage.Tests/ObjectStores` (`Pull_KeyThatWouldEscapeTheFolder_IsRefusedNamingTheKey`); there too,
            pushes next to objects Weir did not upload (at the bucket's root and in the folder), after a manifest was deleted
            by hand or damaged, and of two flows under one prefix remove nothing that is not theirs
            (`Push_NeverRemovesObjectsItDidNotUpload_*`, `Push_WhoseManifestWasDeletedByHand_RemovesNothing`,
            `Push_WithAnUnreadableManifest_*`, `TwoFlowsUnderOnePrefix_*`).

            | case | command | exit / status | error (first line) | clear, no partial state |
            |---|---|---|---|---|
            {string.Join("\n", rows)}
            """);
        failures.ShouldBeEmpty();
    }

    private static IEnumerable<(string Name, Func<Task<(int Status, string Message, string[] MustName)>> Check)> ApiCases(Cluster cluster)
    {
        yield return ("huge parameter payload (2 MiB)", async () =>
        {
            var huge = new JsonObject { ["ledger"] = new string('x', 2 * 1024 * 1024) };
            return await ApiErrorAsync(() => cluster.Api.CreateRunAsync(Cluster.Flow, cluster.Pool, huge, CancellationToken.None), ["MiB"]);
        });
        yield return ("unknown deployment", async () =>
            await ApiErrorAsync(() => cluster.Api.CreateRunAsync(Cluster.Flow, "no-such-deployment", null, CancellationToken.None), ["no-such-deployment"]));
        yield return ("state name that does not exist", async () =>
        {
            using var http = new HttpClient { BaseAddress = cluster.Url };
            using var response = await http.GetAsync("api/flow-runs?state=Exploded");
            return ((int)response.StatusCode, await ProblemAsync(response), ["Exploded"]);
        });
        yield return ("malformed JSON body", async () =>
        {
            using var http = new HttpClient { BaseAddress = cluster.Url };
            using var response = await http.PostAsync($"api/deployments/{Cluster.Flow}/{cluster.Pool}/runs", new StringContent("{\"parameters\": {\"ledger\": ", Encoding.UTF8, "application/json"));
            return ((int)response.StatusCode, await ProblemAsync(response), ["'parameters'"]);
        });
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("message").GetString() ?? body;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body;
        }
    }

    private static async Task<(int Status, string Message, string[] MustName)> ApiErrorAsync(Func<Task> call, string[] mustName)
    {
        try
        {
            await call();
            return (200, "(accepted)", mustName);
        }
        catch (WeirApiException ex)
        {
            return (ex.Status, ex.Message, mustName);
        }
    }

    private static List<string> Judge(int exit, string output, string[] mustName, bool unchanged)
    {
        var problems = new List<string>();
        if (exit != 2)
        {
            problems.Add($"exit code {exit}, not 2");
        }

        problems.AddRange(mustName.Where(n => !output.Contains(n, StringComparison.Ordinal)).Select(n => $"does not name '{n}'"));
        if (output.Contains("   at ", StringComparison.Ordinal))
        {
            problems.Add("prints a stack trace");
        }

        if (!unchanged)
        {
            problems.Add("the server's state changed");
        }

        return problems;
    }

    /// <summary>Deployments, flows and runs as the API lists them: equal snapshots mean nothing was written.</summary>
    private static async Task<string> SnapshotAsync(WeirClient api) =>
        string.Join('\n', (await api.ListDeploymentsAsync(CancellationToken.None)).Select(d => d.FullName + "@" + d.Version))
        + "\n" + string.Join('\n', (await api.ListFlowsAsync(CancellationToken.None)).Select(f => f.Name))
        + "\n" + (await api.ListRunsAsync(10_000, CancellationToken.None)).Count;

    private static string Cell(string text)
    {
        // The first line of the error, and the next when the first only introduces it ("… did not compile:").
        // Progress lines (a step starting) come before the error; the row shows the error.
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines = lines.SkipWhile(l => !l.StartsWith("error", StringComparison.Ordinal)).ToArray() is { Length: > 0 } fromError ? fromError : lines;
        var line = lines.Length == 0 ? "(nothing)" : lines[0].EndsWith(':') && lines.Length > 1 ? lines[0] + " " + lines[1] : lines[0];
        line = line.Length > 220 ? line[..220] + "…" : line;
        return line.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
    }
}
