using Amazon.Runtime;
using Amazon.S3;
using Weir.Storage.ObjectStores;
using Weir.Storage.ObjectStores.S3;
using Weir.Storage.Steps;

namespace Weir.Bench;

/// <summary>
/// Incremental object-store sync against s3rver on 127.0.0.1 (started and stopped by
/// tests/infra/s3rver.sh): a 1,000-file project pushed and pulled in full, then a re-run pull with
/// nothing changed and a push and pull after one file changed. Counts come from the steps' sync results.
/// </summary>
internal static class ObjectStoreBench
{
    private const int Runs = 5;
    private const int FileCount = 1000;

    public static async Task<string> RunAsync()
    {
        var home = Repo.TempHome("object-store");
        var s3rver = await Emulators.StartS3rverAsync();
        var endpoint = s3rver.Url;
        try
        {
            using (var client = new AmazonS3Client(new BasicAWSCredentials(Emulators.S3rverKey, Emulators.S3rverKey), new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
            {
                await client.PutBucketAsync("bench");
            }

            var project = MakeProject(Path.Combine(home, "project"));
            var rows = new Dictionary<string, List<(double Ms, SyncResult Result)>>();
            void Add(string name, (double, SyncResult) sample) => (rows.TryGetValue(name, out var list) ? list : rows[name] = []).Add(sample);
            for (var run = 0; run < Runs; run++)
            {
                var folder = $"run{run}";
                var cache = Path.Combine(home, "cache" + run);
                Add("full-push", await PushAsync(endpoint, project, folder));
                Add("full-pull", await PullAsync(endpoint, folder, cache, home));
                Add("unchanged-pull", await PullAsync(endpoint, folder, cache, home));
                Add("unchanged-push", await PushAsync(endpoint, project, folder));
                await File.AppendAllTextAsync(Path.Combine(project, "src", "m02", "file0042.cs"), $"// change {run}\n");
                Add("one-change-push", await PushAsync(endpoint, project, folder));
                Add("one-change-pull", await PullAsync(endpoint, folder, cache, home));
            }

            Check(rows["unchanged-pull"], 0, 0);
            Check(rows["unchanged-push"], 0, 0);
            Check(rows["one-change-push"], 1, null);
            Check(rows["one-change-pull"], 1, null);
            if (rows["one-change-push"].Any(r => r.Result.Changed != 1))
            {
                throw new InvalidOperationException("The one-file change must upload one changed file, not a new one.");
            }

            string Ms(string name) => Stats.F(Stats.Median(rows[name].Select(r => r.Ms)), "0");
            string Files(string name) => Stats.F(Stats.Median(rows[name].Select(r => (double)r.Result.Transferred)), "0");
            string Bytes(string name) => Stats.F(Stats.Median(rows[name].Select(r => (double)r.Result.BytesTransferred)), "0");
            string Ratio(string full, string part) => Stats.F(Stats.Median(rows[full].Select(r => r.Ms)) / Stats.Median(rows[part].Select(r => r.Ms)), "0.0");
            return $"""
                ## Object-store sync (S3 API, s3rver on 127.0.0.1)

                A {FileCount:N0}-file project (about {Stats.F(Directory.EnumerateFiles(project, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1024.0 / 1024, "0.0")} MB), median of {Runs} rounds. Each round pushes to a new folder and pulls
                with an empty worker cache (full), then pulls again with nothing changed (a re-run), pushes again unchanged, and
                pushes and pulls after one file changed. Pull times include the run's own copy of the project.

                | case | files moved | bytes moved | time (median) | full ÷ this |
                |---|---|---|---|---|
                | full push (empty folder) | {Files("full-push")} | {Bytes("full-push")} | {Ms("full-push")} ms | 1.0 |
                | push, nothing changed | {Files("unchanged-push")} | {Bytes("unchanged-push")} | {Ms("unchanged-push")} ms | {Ratio("full-push", "unchanged-push")} |
                | push after one file changed | {Files("one-change-push")} | {Bytes("one-change-push")} | {Ms("one-change-push")} ms | {Ratio("full-push", "one-change-push")} |
                | full pull (empty cache) | {Files("full-pull")} | {Bytes("full-pull")} | {Ms("full-pull")} ms | 1.0 |
                | pull, nothing changed (re-run) | {Files("unchanged-pull")} | {Bytes("unchanged-pull")} | {Ms("unchanged-pull")} ms | {Ratio("full-pull", "unchanged-pull")} |
                | pull after one file changed | {Files("one-change-pull")} | {Bytes("one-change-pull")} | {Ms("one-change-pull")} ms | {Ratio("full-pull", "one-change-pull")} |
                """;
        }
        finally
        {
            await s3rver.DisposeAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    private static void Check(List<(double Ms, SyncResult Result)> samples, int files, long? bytes)
    {
        if (samples.Any(s => s.Result.Transferred != files || (bytes is { } b && s.Result.BytesTransferred != b)))
        {
            throw new InvalidOperationException($"Expected {files} files moved in every sample: {string.Join(", ", samples.Select(s => s.Result.Transferred))}.");
        }
    }

    private static async Task<(double, SyncResult)> PushAsync(string endpoint, string project, string folder)
    {
        SyncResult? result = null;
        var step = new ObjectStorePushStep(ObjectStoreProvider.S3) { OnSynced = r => result = r };
        var clock = Stopwatch.StartNew();
        await step.RunAsync(Arguments(endpoint, folder), new StepContext(project, project), CancellationToken.None);
        return (clock.Elapsed.TotalMilliseconds, result!);
    }

    private static async Task<(double, SyncResult)> PullAsync(string endpoint, string folder, string cache, string home)
    {
        SyncResult? result = null;
        var step = new ObjectStorePullStep(ObjectStoreProvider.S3) { OnSynced = r => result = r };
        var run = Directory.CreateDirectory(Path.Combine(home, "runs", Guid.NewGuid().ToString("N")[..8])).FullName;
        var clock = Stopwatch.StartNew();
        await step.RunAsync(Arguments(endpoint, folder), new StepContext(run, cache), CancellationToken.None);
        clock.Stop();
        Directory.Delete(run, recursive: true);
        return (clock.Elapsed.TotalMilliseconds, result!);
    }

    private static StepArguments Arguments(string endpoint, string folder) => new("bench", new Dictionary<string, object?>
    {
        ["bucket"] = "bench",
        ["folder"] = folder,
        ["endpoint_url"] = endpoint,
        ["credentials"] = new Dictionary<string, object?> { ["_block_type"] = "aws-credentials", ["aws_access_key_id"] = Emulators.S3rverKey, ["aws_secret_access_key"] = Emulators.S3rverKey },
    });

    private static string MakeProject(string root)
    {
        var random = new Random(42);
        for (var i = 0; i < FileCount; i++)
        {
            var path = Path.Combine(root, "src", $"m{i % 20:00}", $"file{i:0000}.cs");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var body = new char[500 + random.Next(3500)];
            for (var c = 0; c < body.Length; c++)
            {
                body[c] = (char)('a' + random.Next(26));
            }

            File.WriteAllText(path, $"// file {i}\n{new string(body)}\n");
        }

        File.WriteAllText(Path.Combine(root, ".weirignore"), "bin/\nobj/\n");
        return root;
    }
}
