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

var sections = new List<(string Name, string Markdown)>();
if (Runs("task-overhead"))
{
    sections.Add(("task-overhead", await TaskOverheadBench.RunAsync()));
}

if (Runs("compile"))
{
    sections.Add(("compile", await CompileBench.RunAsync()));
}

if (Runs("run-wall"))
{
    sections.Add(("run-wall", await RunWallBench.RunAsync()));
}

if (Runs("server"))
{
    sections.Add(("server", await ServerBench.RunAsync()));
}

if (Runs("pickup") || Runs("phases"))
{
    var (pickup, phases) = await WorkerBench.PickupAsync();
    sections.Add(("pickup", pickup));
    sections.Add(("phases", phases));
}

if (Runs("runs"))
{
    sections.Add(("runs", await ThroughputBench.RunAsync()));
}

if (Runs("git"))
{
    sections.Add(("git", await GitBench.RunAsync()));
}

if (Runs("ui"))
{
    sections.Add(("ui", await UiBench.RunAsync()));
}

if (Runs("object-store"))
{
    sections.Add(("object-store", await ObjectStoreBench.RunAsync()));
}

// Runs after the Weir "runs" case: the comparison's ratio tables read the Weir figures it recorded (Comparison.RecordWeir).
if (Runs("hangfire") || Runs("quartz"))
{
    sections.Add(("hangfire", await PeerBench.RunAsync(hangfire: Runs("hangfire"), quartz: Runs("quartz"))));
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
