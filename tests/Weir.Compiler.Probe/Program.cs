using System.Diagnostics;
using System.Text.Json;
using Weir.Compiler;

// Usage: Weir.Compiler.Probe WEIR_HOME FILE [FILE...]
// Prints one JSON line per file: {"file","hit","ms","loadMs","roslyn"}; "roslyn" is true when any
// Microsoft.CodeAnalysis assembly is loaded in this process after that file's compile.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Weir.Compiler.Probe WEIR_HOME FILE [FILE...]");
    return 2;
}

var compiler = new FlowCompiler(new FlowCompilerOptions { WeirHome = args[0] });
foreach (var file in args[1..])
{
    var clock = Stopwatch.StartNew();
    var build = await compiler.CompileAsync(file, CancellationToken.None);
    var compiled = clock.Elapsed.TotalMilliseconds;
    using (var loaded = build.Load())
    {
        _ = loaded.Assembly.GetTypes();
    }

    var roslyn = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true);
    Console.WriteLine(JsonSerializer.Serialize(new { file, hit = build.CacheHit, ms = compiled, loadMs = clock.Elapsed.TotalMilliseconds - compiled, roslyn }));
}

return 0;
