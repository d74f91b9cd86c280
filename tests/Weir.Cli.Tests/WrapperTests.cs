namespace Weir.Cli.Tests;

/// <summary>The <c>./weir</c> wrapper of the checkout, run as people put it on their PATH.</summary>
public sealed class WrapperTests : IDisposable
{
    private readonly string _root = TempFolder.New("weir-cli-tests-");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Wrapper_RunThroughASymbolicLink_FindsItsCheckoutAndRunsTheBuiltCommand()
    {
        // A checkout whose published weir is a stand-in that says how it was called (publishing the real one takes minutes).
        var checkout = Directory.CreateDirectory(Path.Combine(_root, "checkout")).FullName;
        File.Copy(Path.Combine(Repo.Root, "weir"), Path.Combine(checkout, "weir"));
        Directory.CreateDirectory(Path.Combine(checkout, "src"));
        await File.WriteAllTextAsync(Path.Combine(checkout, "Directory.Packages.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(checkout, "Directory.Build.props"), "<Project />");
        var published = Directory.CreateDirectory(Path.Combine(checkout, "artifacts", "weir")).FullName;
        await File.WriteAllTextAsync(Path.Combine(published, "Weir.Cli"), "#!/bin/sh\necho \"published weir: $*\"\n");
        File.SetUnixFileMode(Path.Combine(published, "Weir.Cli"), (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(checkout, "weir"), (UnixFileMode)0b111_101_101);
        await Task.Delay(1100); // the stamp must be newer than the sources
        await File.WriteAllTextAsync(Path.Combine(published, ".published"), string.Empty);
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "weir"), Path.Combine(checkout, "weir"));

        var (exit, stdout, stderr) = await Shell.ExecAsync(Shell.StartInfo(Path.Combine(bin, "weir"), ["deploy", "--help"], _root));

        exit.ShouldBe(0, stderr);
        stdout.ShouldBe("published weir: deploy --help\n");
        stderr.ShouldNotContain("Building weir");
    }
}
