using Weir.Bench;

// Usage: dotnet run -c Release --project bench/Weir.Bench -- [all|task-overhead|compile|run-wall|server|pickup|runs|git|ui|object-store|hangfire] [--write docs/benchmarks.md]
var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var write = args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault();
var command = "dotnet run -c Release --project bench/Weir.Bench -- " + string.Join(' ', args);

if (which == CompileBench.ChildCommand)
{
    // A fresh process that compiles once; the parent measures cold compile and cache-hit load.
    return await CompileBench.ChildAsync(args[1], args[2]);
}

var sections = new List<(string Name, string Markdown)>();
if (which is "all" or "task-overhead")
{
    sections.Add(("task-overhead", await TaskOverheadBench.RunAsync()));
}

if (which is "all" or "compile")
{
    sections.Add(("compile", await CompileBench.RunAsync()));
}

if (which is "all" or "run-wall")
{
    sections.Add(("run-wall", await RunWallBench.RunAsync()));
}

if (which is "all" or "server")
{
    sections.Add(("server", await ServerBench.RunAsync()));
}

if (which is "all" or "pickup")
{
    sections.Add(("pickup", await WorkerBench.PickupAsync()));
}

if (which is "all" or "runs")
{
    sections.Add(("runs", await WorkerBench.ThroughputAsync()));
}

if (which is "all" or "git")
{
    sections.Add(("git", await GitBench.RunAsync()));
}

if (which is "all" or "ui")
{
    sections.Add(("ui", await UiBench.RunAsync()));
}

if (which is "all" or "object-store")
{
    sections.Add(("object-store", await ObjectStoreBench.RunAsync()));
}

// Runs after the Weir "runs" case: the Hangfire section's ratio table reads the Weir medians it recorded (Comparison.RecordWeir).
if (which is "all" or "hangfire" || args.Contains("hangfire"))
{
    sections.Add(("hangfire", await HangfireBench.RunAsync()));
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
