using System.CommandLine;
using System.Text.Json;
using Weir.Client;
using Weir.Engine;

namespace Weir.Cli.Output;

/// <summary>
/// <c>--json</c>, which every <c>ls</c> and <c>inspect</c> takes: the API's own JSON on standard output, written
/// straight to it (never wrapped to the terminal's width), for scripts.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions s_indented = new(ApiJson.Options) { WriteIndented = true };

    public static Option<bool> Option() => new("--json") { Description = "Print JSON instead (the API's own, for scripts)." };

    public static int Write<T>(T value, bool indented = false)
    {
        HostConsole.Out.WriteLine(JsonSerializer.Serialize(value, indented ? s_indented : ApiJson.Options));
        return ExitCodes.Success;
    }
}
