using Weir.Storage.Ignore;

namespace Weir.Storage.Tests.Ignore;

/// <summary>
/// The rare forms of <c>.gitignore</c> lines, each with git's verdict. The table is checked against
/// the machine's git too (<see cref="Verdicts_AreTheOnesGitGives"/>), so it cannot drift from git.
/// </summary>
public sealed class IgnoreRareFormsTests
{
    // (rules, path, is a folder, git ignores it, verdict of git 2.52 and later only)
    private static readonly (string Rules, string Path, bool IsDirectory, bool Ignored, bool Since252)[] s_verdicts =
    [
        // "***" is a "**"; beside other characters a run of stars is one '*'.
        ("***", "x.txt", false, true, false),
        ("***", "deep/down/x.txt", false, true, false),
        ("a/***", "a/b/c.txt", false, true, false),
        ("a/***/z", "a/b/c/z", false, true, false),
        ("a/x***y", "a/x-y", false, true, false),
        ("a/x***y", "a/x/y", false, false, false),
        // A trailing "//": one slash makes the rule folder-only, the other stays and matches nothing.
        ("build//", "build", true, false, false),
        ("build//", "build/x.txt", false, false, false),
        ("build/", "build", true, true, false),
        ("build/", "build", false, false, false),
        // POSIX classes, ASCII only, with git's own meanings.
        ("[[:alpha:]]1", "a1", false, true, false),
        ("[[:alpha:]]1", "11", false, false, false),
        ("[[:alpha:]]1", "é1", false, false, false),
        ("[[:digit:]]x", "5x", false, true, false),
        ("[[:digit:]]x", "ax", false, false, false),
        ("a[[:space:]]b", "a b", false, true, false),
        ("a[[:space:]]b", "a\tb", false, true, false),
        ("a[[:space:]]b", "a\vb", false, false, false),
        ("[[:upper:]]", "A", false, true, false),
        ("[[:upper:]]", "a", false, false, false),
        ("[[:lower:]]z", "az", false, true, false),
        ("[[:punct:]]", "#", false, true, false),
        ("[[:punct:]]", "a", false, false, false),
        ("[[:xdigit:]]", "f", false, true, false),
        ("[[:xdigit:]]", "g", false, false, false),
        ("[[:alnum:]][[:alnum:]]", "a1", false, true, false),
        ("[[:blank:]]x", " x", false, true, false),
        ("[[:alpha:][:digit:]]", "7", false, true, false),
        ("[![:alpha:]]", "7", false, true, false),
        ("[![:alpha:]]", "q", false, false, false),
        ("[[:bogus:]]", "b", false, false, false),
        ("[[:bogus:]]", "[[:bogus:]]", false, false, false),
        ("x[[:]", "x:", false, true, false),
        ("x[[:]", "x[", false, true, false),
        // An unclosed bracket makes the whole pattern match nothing (not a literal '[').
        ("[ab", "[ab", false, false, false),
        ("[ab", "a", false, false, false),
        ("a[", "a[", false, false, false),
        ("[[:alpha:]", "a", false, false, false),
        ("[[:alpha:]", "[[:alpha:]", false, false, false),
        // A reversed range is no error: it holds only its first character (git reads that before the
        // range), and the rules around it keep working.
        ("[z-a]x", "mx", false, false, false),
        ("[z-a]x", "ax", false, false, false),
        ("[z-a]x", "zx", false, true, false),
        ("[z-a]x\n*.log", "a.log", false, true, false),
        ("[a-]", "-", false, true, false),
        ("[]a]", "]", false, true, false),
        ("[!]a]", "b", false, true, false),
        ("[!]a]", "]", false, false, false),
        ("[\\]]", "]", false, true, false),
        ("[a-c-e]", "-", false, true, false),
        ("[a-c-e]", "d", false, false, false),
        // Escapes: '!', '#', glob characters, and spaces a backslash protects from trimming.
        ("\\!important", "!important", false, true, false),
        ("!important", "!important", false, false, false),
        ("\\#notes", "#notes", false, true, false),
        ("#notes", "#notes", false, false, false),
        (" #notes", " #notes", false, true, false),
        ("\\*", "*", false, true, false),
        ("\\*", "a", false, false, false),
        ("\\?", "?", false, true, false),
        ("\\[x]", "[x]", false, true, false),
        ("\\a", "a", false, true, false),
        ("trailing\\ ", "trailing ", false, true, false),
        ("trailing\\ ", "trailing", false, false, false),
        ("two\\  ", "two ", false, true, false),
        ("spaces   ", "spaces", false, true, false),
        ("back\\\\ ", "back\\", false, true, false),
        ("lone\\", "lone\\", false, false, false),
        ("lone\\", "lone", false, false, false),
        ("lone\\  ", "lone ", false, true, false),
        ("tab\t", "tab\t", false, true, false),
        // Negation: the last matching line wins.
        ("*.log\n!keep.log", "keep.log", false, false, false),
        ("!keep.log\n*.log", "keep.log", false, true, false),
        ("/*\n!/src/", "src/a.cs", false, false, false),
        ("/*\n!/src/", "docs/a.md", false, true, false),
        // A file cannot be re-included when a folder above it is excluded.
        ("build/\n!build/keep.txt", "build/keep.txt", false, true, false),
        ("build/*\n!build/keep.txt", "build/keep.txt", false, false, false),
        ("build\n!build/", "build/x", false, false, false),
        ("build/**\n!build/keep/\n!build/keep/**", "build/keep/x", false, false, false),
        // "**" in every position.
        ("**/cache", "cache", true, true, false),
        ("**/cache", "a/b/cache", true, true, false),
        ("a/**/z", "a/z", false, true, false),
        ("a/**/z", "a/b/c/z", false, true, false),
        ("a/**", "a", true, false, false),
        ("a/**", "a/b/c", false, true, false),
        ("**", "a/b", false, true, false),
        ("a**b", "axyb", false, true, false),
        ("x/a**b", "x/a/b", false, false, false),
        ("x/a**/b", "x/ab", false, false, true),
        ("foo**/bar", "foobar", false, false, true),
        ("foo**/bar", "foo/bar", false, true, false),
        ("foo**/bar", "fooz/bar", false, true, false),
        ("**a", "xa", false, true, false),
        ("/**/a", "x/y/a", false, true, false),
        ("a/**\\/b", "a/x/b", false, true, false),
        // Anchors: a leading slash, or one in the middle, ties the pattern to the ignore file's folder.
        ("/a", "a", false, true, false),
        ("/a", "sub/a", false, false, false),
        ("a/b", "a/b", false, true, false),
        ("a/b", "x/a/b", false, false, false),
        ("//a", "a", false, false, false),
        ("*/b", "a/b", false, true, false),
        ("*/b", "x/a/b", false, false, false),
        // Bytes, as git compares them: '?' is one byte of a UTF-8 character, and case matters.
        ("?", "é", false, false, false),
        ("??", "é", false, true, false),
        ("[é]", "é", false, false, false),
        ("*.LOG", "a.log", false, false, false),
        // Line endings and the byte-order mark.
        ("a\r\nb", "a", false, true, false),
        ("a\r\r\nb", "a", false, false, false),
        ("\uFEFFa", "a", false, true, false),
        ("x\n\uFEFFa", "a", false, false, false),
    ];

    public static TheoryData<string, string, bool, bool> Verdicts()
    {
        var data = new TheoryData<string, string, bool, bool>();
        foreach (var (rules, path, isDirectory, ignored, _) in s_verdicts)
        {
            data.Add(rules, path, isDirectory, ignored);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void IsIgnored_RareForm_GivesGitsVerdict(string rules, string path, bool isDirectory, bool ignored) =>
        IgnoreMatcher.Parse(rules).IsIgnored(path, isDirectory).ShouldBe(ignored, $"rules |{IgnoreCase.Show(rules)}|, {(isDirectory ? "folder" : "file")} '{IgnoreCase.Show(path)}'");

    [Fact]
    public void Verdicts_AreTheOnesGitGives()
    {
        // The names use characters Windows forbids (*, ?, tabs, trailing spaces), and macOS folds case
        // and normalizes é in names; git and Weir agree byte for byte on Linux, where CI runs this.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var root = Directory.CreateTempSubdirectory("weir-ignore-verdicts-").FullName;
        try
        {
            var git = new GitOracle(root);
            git.Init(root);
            var asked = new List<(string Path, bool Ignored, string Row)>();
            for (var i = 0; i < s_verdicts.Length; i++)
            {
                var (rules, path, isDirectory, ignored, since252) = s_verdicts[i];
                if (since252 && git.SplitsLiteralPrefix)
                {
                    continue;
                }

                var folder = Path.Combine(root, $"r{i:D3}");
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
                if (isDirectory)
                {
                    Directory.CreateDirectory(Path.Combine(folder, path));
                }
                else
                {
                    File.WriteAllBytes(Path.Combine(folder, path), []);
                }

                File.WriteAllText(Path.Combine(folder, ".gitignore"), rules);
                asked.Add(($"r{i:D3}/{path}", ignored, $"|{IgnoreCase.Show(rules)}| {IgnoreCase.Show(path)}"));
            }

            var ignoredByGit = git.CheckIgnore(root, asked.Select(a => a.Path));
            var wrong = asked.Where(a => ignoredByGit.Contains(a.Path) != a.Ignored).Select(a => $"{a.Row}: git says {(a.Ignored ? "kept" : "ignored")}").ToList();
            wrong.ShouldBeEmpty($"git {git.Version} disagrees with the table:\n{string.Join("\n", wrong)}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void NestedIgnoreFile_NameRulesApplyAtAnyDepthBelowIt_AnchoredOnesFromItsFolder()
    {
        var matcher = IgnoreMatcher.Parse("");
        matcher.Add("*.tmp\n/top.txt\nlib/*.o\n", "sub");

        matcher.IsIgnored("sub/a/b/x.tmp", false).ShouldBeTrue();
        matcher.IsIgnored("x.tmp", false).ShouldBeFalse();
        matcher.IsIgnored("other/x.tmp", false).ShouldBeFalse();
        matcher.IsIgnored("sub/top.txt", false).ShouldBeTrue();
        matcher.IsIgnored("sub/a/top.txt", false).ShouldBeFalse();
        matcher.IsIgnored("sub/lib/x.o", false).ShouldBeTrue();
        matcher.IsIgnored("sub/a/lib/x.o", false).ShouldBeFalse();
        matcher.IsIgnored("subway/x.tmp", false).ShouldBeFalse();
    }

    [Fact]
    public void NestedIgnoreFile_CanReIncludeWhatAFileAboveExcludes_ButNotInsideAnExcludedFolder()
    {
        var matcher = IgnoreMatcher.Parse("*.log\nout/\n");
        matcher.Add("!keep.log\n!out/\n", "sub");

        matcher.IsIgnored("sub/keep.log", false).ShouldBeFalse();
        matcher.IsIgnored("sub/other.log", false).ShouldBeTrue();
        matcher.IsIgnored("sub/out", true).ShouldBeFalse();
        matcher.IsIgnored("out/keep.log", false).ShouldBeTrue();
    }

    [Fact]
    public void Parse_NameWithBackslash_IsOneNameOnLinux()
    {
        if (Path.DirectorySeparatorChar == '\\')
        {
            return;
        }

        var matcher = IgnoreMatcher.Parse("");
        matcher.Add("x\n", "a\\b");

        matcher.IsIgnored("a\\b/x", false).ShouldBeTrue();
        matcher.IsIgnored("a/b/x", false).ShouldBeFalse();
    }
}
