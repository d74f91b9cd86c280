using System.Text;

namespace Weir.Storage.Tests.Ignore;

/// <summary>One generated tree: its files, its (possibly empty) folders and the ignore file of each folder that has one.</summary>
internal sealed record IgnoreCase(int Seed, IReadOnlyList<string> Files, IReadOnlyList<string> Directories, IReadOnlyDictionary<string, string> IgnoreFiles)
{
    /// <summary>Writes the tree under <paramref name="root"/>, each ignore file both as <c>.gitignore</c> and as <c>.weirignore</c>.</summary>
    public void Write(string root)
    {
        Directory.CreateDirectory(root);
        foreach (var directory in Directories)
        {
            Directory.CreateDirectory(Path.Combine(root, directory));
        }

        foreach (var file in Files)
        {
            File.WriteAllBytes(Path.Combine(root, file), []);
        }

        foreach (var (directory, text) in IgnoreFiles)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            File.WriteAllBytes(Path.Combine(root, directory, ".gitignore"), bytes);
            File.WriteAllBytes(Path.Combine(root, directory, ".weirignore"), bytes);
        }
    }

    /// <summary>The tree and its rules, with invisible characters shown, for a failure message.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"case seed {Seed}; folders:");
        foreach (var directory in Directories)
        {
            text.AppendLine($"  {Show(directory)}/");
        }

        text.AppendLine("files:");
        foreach (var file in Files)
        {
            text.AppendLine($"  {Show(file)}");
        }

        foreach (var (directory, rules) in IgnoreFiles.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"ignore file in '{Show(directory)}' (as .gitignore and .weirignore):");
            foreach (var line in rules.Split('\n'))
            {
                text.AppendLine($"  |{Show(line)}|");
            }
        }

        return text.ToString();
    }

    /// <summary>A name with tabs, carriage returns, byte-order marks and trailing spaces made visible.</summary>
    public static string Show(string text) =>
        text.Replace("\t", "<TAB>", StringComparison.Ordinal).Replace("\r", "<CR>", StringComparison.Ordinal).Replace("\uFEFF", "<BOM>", StringComparison.Ordinal)
        + (text.EndsWith(' ') ? "<-spaces" : string.Empty);
}
