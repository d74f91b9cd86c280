using System.Globalization;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Compiler;
using Weir.Engine;

namespace Weir.Cli;

/// <summary>Compiles a flow file for a command, printing what it did, and finds flows in it.</summary>
internal static class FlowFiles
{
    public static async Task<CompiledFlowFile> CompileAsync(string path, bool quiet, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliError($"Flow file '{path}' not found (looked at {Path.GetFullPath(path)}).");
        }

        var compiler = new FlowCompiler(new FlowCompilerOptions
        {
            Progress = quiet ? null : line => Terminal.Error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]"),
        });
        var build = await compiler.CompileAsync(path, cancellationToken).ConfigureAwait(false);
        if (!quiet)
        {
            var ms = build.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
            Terminal.Error.MarkupLine(build.CacheHit
                ? $"[grey]Using the cached build of {Markup.Escape(path)} (cache hit, {ms} ms)[/]"
                : $"[grey]Compiled {Markup.Escape(path)} in {ms} ms[/]");
        }

        return build;
    }

    /// <summary>The flow an entrypoint names; with no name, the file's only flow.</summary>
    public static FlowDefinition Find(LoadedFlowAssembly assembly, Entrypoint entrypoint) =>
        FlowDefinition.Find(assembly.Assembly, entrypoint.FlowName, entrypoint.Path, nameMayBeOmitted: true);
}
