using System.Text.Json;

namespace Weir.Compiler.Tests;

/// <summary>Compiles in fresh processes (Weir.Compiler.Probe), where what a cache hit loads can be seen.</summary>
public sealed class ProbeTests : CompilerTest
{
    [Fact]
    public async Task Compile_WhenCacheHitsInAFreshProcess_DoesNotLoadRoslyn()
    {
        var path = await Fixture.WriteAsync("probe.cs", """
            using Weir;
            public static class Probe
            {
                [Task] public static int One() => 1;
                [Flow("probe")] public static int Run() => One();
            }
            """);

        var miss = (await ProbeAsync(path)).ShouldHaveSingleItem();
        var hit = (await ProbeAsync(path)).ShouldHaveSingleItem();

        miss.GetProperty("hit").GetBoolean().ShouldBeFalse();
        miss.GetProperty("roslyn").GetBoolean().ShouldBeTrue();
        hit.GetProperty("hit").GetBoolean().ShouldBeTrue();
        hit.GetProperty("roslyn").GetBoolean().ShouldBeFalse("a cache hit must not load any Microsoft.CodeAnalysis assembly");
    }

    private async Task<List<JsonElement>> ProbeAsync(params string[] files)
    {
        // The probe runs from its own output folder: the copy beside the tests lacks the package assemblies the tests take
        // from the ASP.NET Core shared framework (Weir.Testing brings the server), which the probe, a console program, has not.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var probe = Path.Combine(Repo.Root, "tests", "Weir.Compiler.Probe", "bin", output.Parent!.Name, output.Name, "Weir.Compiler.Probe.dll");
        var host = Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
        var (exit, stdout, stderr) = await Shell.ExecAsync(Shell.StartInfo(host, ["exec", probe, Fixture.Home, .. files]), timeout: TimeSpan.FromMinutes(2));
        exit.ShouldBe(0, stderr);
        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
