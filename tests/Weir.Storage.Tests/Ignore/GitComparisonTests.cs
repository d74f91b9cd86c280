using System.Diagnostics;
using System.Globalization;
using System.Text;
using Weir.Storage.ObjectStores;
using Xunit.Abstractions;

namespace Weir.Storage.Tests.Ignore;

/// <summary>
/// Weir's <c>.weirignore</c> must leave out exactly what git's <c>.gitignore</c> would. Thousands of
/// seeded random trees are written once, each ignore file as both <c>.gitignore</c> and
/// <c>.weirignore</c>, and the files a push would upload (the push's own scan) are compared with
/// <c>git ls-files --others --exclude-standard</c> on the same folder. Both lists include both ignore
/// files, so the comparison is like for like.
/// </summary>
public sealed class GitComparisonTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_260_815;
    private const int DefaultCases = 4_000;
    private const int CasesPerRepository = 500;

    [Fact]
    public async Task Scan_OnRandomTreesAndRules_UploadsExactlyWhatGitLeavesUntracked()
    {
        // The names use characters Windows forbids (*, ?, tabs, trailing spaces), and macOS folds case
        // and normalizes é in names; git and Weir agree byte for byte on Linux, where CI runs this.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // WEIR_IGNORE_SEED and WEIR_IGNORE_CASES reproduce or widen a run.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("WEIR_IGNORE_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var cases = int.TryParse(Environment.GetEnvironmentVariable("WEIR_IGNORE_CASES"), CultureInfo.InvariantCulture, out var n) ? n : DefaultCases;
        var root = TempRoot();
        var clock = Stopwatch.StartNew();
        try
        {
            var git = new GitOracle(root);
            var failures = new List<string>();
            var compared = 0;
            var files = 0;
            var kept = 0;
            for (var first = 0; first < cases && failures.Count < 3; first += CasesPerRepository)
            {
                var repository = Path.Combine(root, $"repo{first / CasesPerRepository}");
                Directory.CreateDirectory(repository);
                git.Init(repository);
                var batch = Enumerable.Range(first, Math.Min(CasesPerRepository, cases - first))
                    .Select(i => (Folder: $"c{i:D5}", Case: IgnoreCaseGenerator.Generate(seed + i, git.SplitsLiteralPrefix)))
                    .ToList();
                foreach (var (folder, @case) in batch)
                {
                    @case.Write(Path.Combine(repository, folder));
                }

                // Each case is a folder of one repository; its ignore file there works as at a repository's root.
                var untracked = git.Untracked(repository).ToLookup(p => p[..p.IndexOf('/', StringComparison.Ordinal)], p => p[(p.IndexOf('/', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);
                foreach (var (folder, @case) in batch)
                {
                    var project = Path.Combine(repository, folder);
                    var matcher = ObjectStorePush.LoadIgnore(project, _ => { });
                    var uploaded = (await LocalFiles.ScanAsync(project, matcher, CancellationToken.None)).Files.Keys.ToHashSet(StringComparer.Ordinal);
                    var expected = untracked[folder].ToHashSet(StringComparer.Ordinal);
                    compared++;
                    files += @case.Files.Count;
                    kept += @case.Files.Count(expected.Contains);
                    if (!uploaded.SetEquals(expected))
                    {
                        failures.Add(Failure(seed, @case, uploaded, expected));
                    }
                }

                Directory.Delete(repository, recursive: true);
            }

            output.WriteLine($"Compared {compared} random trees ({files} files, of which git keeps {kept}) with git {git.Version} in {clock.Elapsed.TotalSeconds:0.0} s (seed {seed}, under {root}).");
            failures.ShouldBeEmpty(string.Join("\n", failures));
            compared.ShouldBe(cases);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// A folder in memory when the machine has one (/dev/shm): the test writes tens of thousands of
    /// small files, which on a shared virtual disk takes minutes instead of seconds.
    /// </summary>
    private static string TempRoot()
    {
        var name = "weir-ignore-vs-git-" + Guid.NewGuid().ToString("N")[..8];
        if (OperatingSystem.IsLinux() && Directory.Exists("/dev/shm"))
        {
            try
            {
                return Directory.CreateDirectory(Path.Combine("/dev/shm", name)).FullName;
            }
            catch (UnauthorizedAccessException)
            {
                // Not writable here: fall back to the temporary folder.
            }
        }

        return Directory.CreateTempSubdirectory(name).FullName;
    }

    private static string Failure(int seed, IgnoreCase @case, HashSet<string> uploaded, HashSet<string> expected)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Weir and git disagree (run seed {seed}; reproduce with WEIR_IGNORE_SEED={@case.Seed} WEIR_IGNORE_CASES=1):");
        foreach (var path in uploaded.Except(expected).Order(StringComparer.Ordinal))
        {
            text.AppendLine($"  Weir uploads, git ignores: {IgnoreCase.Show(path)}");
        }

        foreach (var path in expected.Except(uploaded).Order(StringComparer.Ordinal))
        {
            text.AppendLine($"  git keeps, Weir leaves out: {IgnoreCase.Show(path)}");
        }

        text.Append(@case.Describe());
        return text.ToString();
    }
}
