using Weir.Bench;

// Usage: dotnet run -c Release --project bench/Weir.Bench -- [all|task-overhead|compile|run-wall|server|pickup|phases|runs|git|ui|object-store|hangfire|quartz] [--write docs/benchmarks.md]
// Several cases may be named at once (`-- pickup runs hangfire quartz`); none, or `all`, runs every case.
// `pickup` and `phases` are one case (the same runs) writing two sections; `hangfire` and `quartz` each add their
// rows to one comparison section (named hangfire in docs/benchmarks.md). Small counts for a quick check that a case
// works: WEIR_BENCH_RUNS, WEIR_BENCH_PICKUP_RUNS, WEIR_BENCH_ROUNDS (BenchCounts); such sections say so at their top.
var write = args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault();
var named = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] != "--write")).ToList();
var which = named.FirstOrDefault() ?? "all";
bool Runs(string name) => named.Count == 0 || named.Contains("all") || named.Contains(name);
var command = "dotnet run -c Release --project bench/Weir.Bench -- " + string.Join(' ', args);

if (which == CompileBench.ChildCommand)
{
    // A fresh process that compiles once; the parent measures cold compile and cache-hit load.
    return await CompileBench.ChildAsync(args[1], args[2]);
}

// The cases in the order they run: the names that select each, and the sections it writes.
(string[] Names, Func<Task<(string Name, string Markdown)[]>> Run)[] cases =
[
    (["task-overhead"], Section("task-overhead", TaskOverheadBench.RunAsync)),
    (["compile"], Section("compile", CompileBench.RunAsync)),
    (["run-wall"], Section("run-wall", RunWallBench.RunAsync)),
    (["server"], Section("server", ServerBench.RunAsync)),
    (["pickup", "phases"], async () =>
    {
        var (pickup, phases) = await WorkerBench.PickupAsync();
        return [("pickup", pickup), ("phases", phases)];
    }),
    (["runs"], Section("runs", ThroughputBench.RunAsync)),
    (["git"], Section("git", GitBench.RunAsync)),
    (["ui"], Section("ui", UiBench.RunAsync)),
    (["object-store"], Section("object-store", ObjectStoreBench.RunAsync)),
    // Runs after the Weir "runs" case: the comparison's ratio tables read the Weir figures it recorded (Comparison.RecordWeir).
    (["hangfire", "quartz"], Section("hangfire", () => PeerBench.RunAsync(hangfire: Runs("hangfire"), quartz: Runs("quartz")))),
];

var sections = new List<(string Name, string Markdown)>();
foreach (var (_, run) in cases.Where(c => c.Names.Any(Runs)))
{
    sections.AddRange(await run());
}

foreach (var (name, markdown) in sections)
{
    Console.WriteLine(markdown);
    if (write is not null)
    {
        BenchmarkDoc.WriteSection(write, name, markdown, command);
    }
}

return 0;

static Func<Task<(string Name, string Markdown)[]>> Section(string name, Func<Task<string>> run) => async () => [(name, await run())];
