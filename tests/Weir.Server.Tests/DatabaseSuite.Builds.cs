using System.Net;

namespace Weir.Server.Tests;

public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task StoredBuild_RoundTripsByteForByte_AndADeploymentKeepsItsId()
    {
        await using var server = await StartAsync();
        var archive = new byte[300_000];
        new Random(7).NextBytes(archive);

        await server.Client.UploadBuildAsync("abc123", archive, default);
        await server.Client.UploadBuildAsync("abc123", archive, default); // the same id again changes nothing
        var result = await server.Client.DeployAsync(Deployment() with { BuildId = "abc123" }, default);

        (await server.Client.DownloadBuildAsync("abc123", default)).ShouldBe(archive);
        (await server.Client.DownloadBuildAsync("missing1", default)).ShouldBeNull();
        result.Deployment.BuildId.ShouldBe("abc123");
        (await server.Client.GetDeploymentAsync("example", "nightly", default))!.BuildId.ShouldBe("abc123");
        (await server.Client.DeployAsync(Deployment(), default)).Deployment.BuildId.ShouldBeNull();
    }

    [Fact]
    public async Task StoredBuild_WithABadIdOrNoBody_IsRefusedNamingTheField()
    {
        await using var server = await StartAsync();

        var badId = await Should.ThrowAsync<WeirApiException>(() => server.Client.UploadBuildAsync("not-a-hash!", [1, 2, 3], default));
        badId.Status.ShouldBe((int)HttpStatusCode.BadRequest);
        badId.Field.ShouldBe("id");
        var empty = await Should.ThrowAsync<WeirApiException>(() => server.Client.UploadBuildAsync("abc", [], default));
        empty.Field.ShouldBe("body");
        var deployment = await Should.ThrowAsync<WeirApiException>(() => server.Client.DeployAsync(Deployment() with { BuildId = "../x" }, default));
        deployment.Field.ShouldBe("buildId");
    }
}
