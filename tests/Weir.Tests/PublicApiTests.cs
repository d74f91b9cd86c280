using PublicApiGenerator;

namespace Weir.Tests;

/// <summary>
/// The SDK's public surface is what flow code compiles against: every change to it must be seen in
/// review. When this fails on purpose, copy the received file over the approved one.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_OfTheSdk_MatchesTheApprovedFile()
    {
        var api = typeof(FlowAttribute).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
            ExcludeAttributes = ["System.Runtime.CompilerServices.NullableContextAttribute", "System.Runtime.CompilerServices.NullableAttribute"],
        }).ReplaceLineEndings("\n");
        var folder = Path.Combine(Repo.Root, "tests", "Weir.Tests", "PublicApi");
        var approved = Path.Combine(folder, "Weir.approved.txt");
        var received = Path.Combine(folder, "Weir.received.txt");
        if (!File.Exists(approved) || File.ReadAllText(approved).ReplaceLineEndings("\n") != api)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(received, api);
            throw new ShouldAssertException($"The SDK's public API changed. Review {received} and, if the change is intended, copy it to {approved}.");
        }

        File.Delete(received);
    }

    [Fact]
    public void PublicApi_OfTheSdk_HoldsAtMost25Types()
    {
        // Flow authors need the attributes, the run context, states and the storage types; the engine's
        // hosting side, the wire contract and the client live elsewhere (issue 17).
        var types = typeof(FlowAttribute).Assembly.GetExportedTypes();

        types.Length.ShouldBeLessThanOrEqualTo(25, string.Join(", ", types.Select(t => t.Name).Order()));
    }
}
