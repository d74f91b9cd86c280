using Weir.Storage.Ignore;

namespace Weir.Storage.Tests.Ignore;

public sealed class IgnoreMatcherTests
{
    [Theory]
    [InlineData("*.log", "debug.log", false, true)]
    [InlineData("*.log", "a/b/debug.log", false, true)]
    [InlineData("*.log", "debug.log.txt", false, false)]
    [InlineData("bin/", "bin", true, true)]
    [InlineData("bin/", "bin", false, false)]
    [InlineData("bin/", "src/bin/x.dll", false, true)]
    [InlineData("/secret.txt", "secret.txt", false, true)]
    [InlineData("/secret.txt", "sub/secret.txt", false, false)]
    [InlineData("docs/*.md", "docs/a.md", false, true)]
    [InlineData("docs/*.md", "docs/deep/a.md", false, false)]
    [InlineData("docs/*.md", "x/docs/a.md", false, false)]
    [InlineData("**/cache", "a/b/cache", true, true)]
    [InlineData("**/cache", "cache", true, true)]
    [InlineData("a/**/z", "a/z", false, true)]
    [InlineData("a/**/z", "a/b/c/z", false, true)]
    [InlineData("logs/**", "logs/x/y.txt", false, true)]
    [InlineData("logs/**", "logs", true, false)]
    [InlineData("file?.txt", "file1.txt", false, true)]
    [InlineData("file?.txt", "file/.txt", false, false)]
    [InlineData("[abc].cs", "b.cs", false, true)]
    [InlineData("[!abc].cs", "b.cs", false, false)]
    [InlineData("[!abc].cs", "d.cs", false, true)]
    [InlineData("\\#notes", "#notes", false, true)]
    [InlineData("\\!bang", "!bang", false, true)]
    [InlineData("trailing\\ ", "trailing ", false, true)]
    [InlineData("spaces   ", "spaces", false, true)]
    [InlineData("# a comment", "# a comment", false, false)]
    public void OneRule_MatchesLikeGit(string rule, string path, bool isDirectory, bool ignored) =>
        IgnoreMatcher.Parse(rule).IsIgnored(path, isDirectory).ShouldBe(ignored);

    [Fact]
    public void Negation_ReIncludesAFile_TheLastMatchingLineWins()
    {
        var matcher = IgnoreMatcher.Parse("*.log\n!keep.log\n");

        matcher.IsIgnored("debug.log", false).ShouldBeTrue();
        matcher.IsIgnored("keep.log", false).ShouldBeFalse();
        IgnoreMatcher.Parse("!keep.log\n*.log\n").IsIgnored("keep.log", false).ShouldBeTrue();
    }

    [Fact]
    public void Negation_OfAFolder_WorksWhenOnlyItsContentsWereExcluded()
    {
        var matcher = IgnoreMatcher.Parse("build/*\n!build/keep/\n");

        matcher.IsIgnored("build/out.o", false).ShouldBeTrue();
        matcher.IsIgnored("build/keep", true).ShouldBeFalse();
        matcher.IsIgnored("build/keep/x.txt", false).ShouldBeFalse();
    }

    [Fact]
    public void Negation_CannotReIncludeInsideAnExcludedFolder()
    {
        var matcher = IgnoreMatcher.Parse("build/\n!build/keep.txt\n");

        matcher.IsIgnored("build/keep.txt", false).ShouldBeTrue();
    }

    [Fact]
    public void NestedIgnoreFile_AppliesInsideItsFolder_AndWins()
    {
        var matcher = IgnoreMatcher.Parse("*.tmp\n");
        matcher.Add("!wanted.tmp\n/local.txt\n", "sub");

        matcher.IsIgnored("sub/wanted.tmp", false).ShouldBeFalse();
        matcher.IsIgnored("wanted.tmp", false).ShouldBeTrue();
        matcher.IsIgnored("sub/local.txt", false).ShouldBeTrue();
        matcher.IsIgnored("local.txt", false).ShouldBeFalse();
    }

    [Theory]
    [InlineData("bin/Debug/app.dll", true)]
    [InlineData("src/Proj/obj/project.assets.json", true)]
    [InlineData(".git/HEAD", true)]
    [InlineData("Proj.csproj.user", true)]
    [InlineData(".env", true)]
    [InlineData(".env.example", false)]
    [InlineData("web/node_modules/x/index.js", true)]
    [InlineData("flows/my_flow.cs", false)]
    [InlineData("weir.yaml", false)]
    public void DefaultFile_LeavesOutBuildOutputToolsAndSecrets(string path, bool ignored) =>
        IgnoreMatcher.Parse(DefaultWeirIgnore.Text).IsIgnored(path, false).ShouldBe(ignored);
}
