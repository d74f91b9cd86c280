global using Weir;
using Weir.Engine;

namespace Weir.Compiler.Tests;

/// <summary>A temp WEIR_HOME and folder for flow files, with helpers to compile and run them.</summary>
public sealed class CompilerFixture : IDisposable
{
    private readonly TempFolder _home = new("weir-compiler-home-");
    private readonly TempFolder _work = new("weir-compiler-work-");

    public string Home => _home.Path;

    public string Work => _work.Path;

    public FlowCompiler Compiler => new(new FlowCompilerOptions { WeirHome = Home });

    public async Task<string> WriteAsync(string name, string source)
    {
        var path = Path.Combine(Work, name);
        await File.WriteAllTextAsync(path, source);
        return path;
    }

    public Task<CompiledFlowFile> CompileAsync(string path) => Compiler.CompileAsync(path, CancellationToken.None);

    internal async Task<(FlowRunResult Result, MemoryRunSink Sink)> RunAsync(string name, string source, string flow, Dictionary<string, object?>? parameters = null)
    {
        var build = await CompileAsync(await WriteAsync(name, source));
        using var loaded = build.Load();
        var definition = FlowDefinition.FindAll(loaded.Assembly).Single(f => f.Name == flow);
        var sink = new MemoryRunSink();
        var values = ParameterBinder.Bind(definition, [], System.Text.Json.JsonSerializer.SerializeToElement(parameters ?? []));
        var result = await new FlowEngine(sink).RunAsync(definition, values);
        return (result, sink);
    }

    public void Dispose()
    {
        _home.Dispose();
        _work.Dispose();
    }
}
