using System.Runtime.InteropServices;

namespace Weir.Bench;

/// <summary>Writes one benchmark's results into its own marked section of docs/benchmarks.md.</summary>
internal static class BenchmarkDoc
{
    public static void WriteSection(string path, string name, string markdown, string command)
    {
        var begin = $"<!-- bench:{name} -->";
        var end = $"<!-- /bench:{name} -->";
        var body = $"{begin}\n{markdown.TrimEnd()}\n\n_Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine()} with `{command}`._\n{end}";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        text = start >= 0 && stop > start
            ? text[..start] + body + text[(stop + end.Length)..]
            : text.TrimEnd() + "\n\n" + body + "\n";
        File.WriteAllText(path, text);
    }

    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";
}
