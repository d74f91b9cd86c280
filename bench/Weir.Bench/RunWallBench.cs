namespace Weir.Bench;

/// <summary>Whole-process wall time of <c>weir run</c> on an example: first run (compiles) and later runs (cache hit).</summary>
internal static class RunWallBench
{
    private const int Runs = 5;

    public static async Task<string> RunAsync()
    {
        var weir = Path.Combine(Repo.Root, "weir");
        await RunAsync(weir, ["--help"], Repo.TempHome("publish"));

        var first = new List<double>();
        var cached = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var home = Repo.TempHome("wall");
            first.Add(await RunAsync(weir, ["run", "examples/flows/my_flow.cs:example", "--param", "limit=3"], home));
            cached.Add(await RunAsync(weir, ["run", "examples/flows/my_flow.cs:example", "--param", "limit=3"], home));
        }

        return $"""
            ## `weir run` wall time

            `./weir run examples/flows/my_flow.cs:example --param limit=3`, the whole process from start to exit
            (the published CLI, framework-dependent), median of {Runs}, each pair with a fresh `WEIR_HOME`.

            | case | wall time (median) | min | max |
            |---|---|---|---|
            | first run: compiles the flow | {Stats.F(Stats.Median(first), "0")} ms | {Stats.F(first.Min(), "0")} ms | {Stats.F(first.Max(), "0")} ms |
            | second run: cache hit | {Stats.F(Stats.Median(cached), "0")} ms | {Stats.F(cached.Min(), "0")} ms | {Stats.F(cached.Max(), "0")} ms |
            """;
    }

    private static async Task<double> RunAsync(string weir, string[] args, string home)
    {
        var start = new ProcessStartInfo(weir) { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["WEIR_HOME"] = home;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"weir {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}");
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
