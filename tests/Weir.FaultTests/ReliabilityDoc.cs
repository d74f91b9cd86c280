using System.Globalization;
using System.Runtime.InteropServices;

namespace Weir.FaultTests;

/// <summary>Writes a scenario's figures into its own marked section of docs/reliability.md (the rest of the file is kept).</summary>
internal static class ReliabilityDoc
{
    private static readonly Lock s_lock = new();

    public static void Write(string name, string markdown)
    {
        var path = Path.Combine(Repo.Root, "docs", "reliability.md");
        var begin = $"<!-- fault:{name} -->";
        var end = $"<!-- /fault:{name} -->";
        var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";
        var body = $"{begin}\n{markdown.TrimEnd()}\n\n_Measured {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC on {machine} by `dotnet test tests/Weir.FaultTests -c Release`._\n{end}";
        lock (s_lock)
        {
            var text = File.Exists(path) ? File.ReadAllText(path) : "# Reliability\n";
            var start = text.IndexOf(begin, StringComparison.Ordinal);
            var stop = text.IndexOf(end, StringComparison.Ordinal);
            text = start >= 0 && stop > start ? text[..start] + body + text[(stop + end.Length)..] : text.TrimEnd() + "\n\n" + body + "\n";
            File.WriteAllText(path, text);
        }
    }
}
