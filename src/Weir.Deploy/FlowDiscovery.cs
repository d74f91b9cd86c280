using System.Text.RegularExpressions;

namespace Weir.Deploy;

/// <summary>
/// Finds the flows of a project folder for the deploy dialogue without compiling anything: every
/// <c>[Flow]</c> method in the <c>.cs</c> files, as <c>path/to/file.cs:flow-name</c> entrypoints.
/// </summary>
internal static partial class FlowDiscovery
{
    private static readonly HashSet<string> s_skipped = new(StringComparer.Ordinal) { "bin", "obj", ".git", "node_modules", ".weir" };

    public static IReadOnlyList<string> Find(string projectDir, int limit = 500)
    {
        var found = new List<string>();
        foreach (var file in Files(projectDir).Order(StringComparer.Ordinal))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                continue;
            }

            foreach (Match match in FlowMethod().Matches(text))
            {
                var name = match.Groups["name"].Success ? match.Groups["name"].Value : match.Groups["method"].Value;
                found.Add(Path.GetRelativePath(projectDir, file).Replace('\\', '/') + ":" + name);
                if (found.Count >= limit)
                {
                    return found;
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> Files(string dir)
    {
        var pending = new Stack<string>([dir]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            IEnumerable<string> files, folders;
            try
            {
                files = Directory.EnumerateFiles(current, "*.cs");
                folders = Directory.EnumerateDirectories(current);
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }

            foreach (var folder in folders.Where(f => !s_skipped.Contains(Path.GetFileName(f))))
            {
                pending.Push(folder);
            }
        }
    }

    [GeneratedRegex("""\[\s*(?:Weir\.)?Flow(?:Attribute)?\s*(?:\(\s*(?:"(?<name>[^"]+)")?[^\]]*\))?\s*\](?:\s*\[[^\]]*\])*\s*(?:(?:public|internal|private|static|async)\s+)+[\w<>\[\],\.\?\s]+?\s(?<method>\w+)\s*\(""")]
    private static partial Regex FlowMethod();
}
