using System.Text.Json.Nodes;
using Weir.Worker.Launchers;

namespace Weir.Worker.Tests;

public sealed class ContainerJobVariablesTests
{
    private static ContainerJobVariables Read(string json, string? defaultImage = null) =>
        ContainerJobVariables.Read(JsonNode.Parse(json) as JsonObject, "flow/dep", defaultImage);

    [Theory]
    [InlineData("127.0.0.1:5000/flows:v1", ImagePullPolicy.IfNotPresent)]
    [InlineData("127.0.0.1:5000/flows:latest", ImagePullPolicy.Always)]
    [InlineData("127.0.0.1:5000/flows", ImagePullPolicy.Always)]
    [InlineData("flows@sha256:0123", ImagePullPolicy.IfNotPresent)]
    public void PullPolicy_WhenNotGiven_FollowsTheTagLikeKubernetes(string image, ImagePullPolicy expected) =>
        Read($$"""{ "image": "{{image}}" }""").PullPolicy.ShouldBe(expected);

    [Fact]
    public void Read_TakesEnvNetworkCommandAndPolicy()
    {
        var settings = Read("""{ "image": "x:1", "image_pull_policy": "never", "env": { "A": "b", "N": 3 }, "network_mode": "bridge", "command": "weir flow-run execute 'a b'" }""");

        settings.PullPolicy.ShouldBe(ImagePullPolicy.Never);
        settings.Environment.ShouldBe(new Dictionary<string, string> { ["A"] = "b", ["N"] = "3" });
        settings.NetworkMode.ShouldBe("bridge");
        settings.Command.ShouldBe(["weir", "flow-run", "execute", "a b"]);
    }

    [Fact]
    public void Read_Defaults_HostNetworkAndTheWorkersImage()
    {
        var settings = Read("{}", defaultImage: "base:2");

        settings.Image.ShouldBe("base:2");
        settings.NetworkMode.ShouldBe("host");
        settings.Command.ShouldBeNull();
    }

    [Fact]
    public void Read_WithoutImage_NamesTheJobVariableToSet() =>
        Should.Throw<RunPreparationException>(() => Read("{}")).Message
            .ShouldStartWith("Deployment 'flow/dep' names no image for the container pool: set work_pool.job_variables.image in weir.yaml");

    [Fact]
    public void Read_UnknownVariableOrPolicy_IsAnErrorNamingIt()
    {
        Should.Throw<RunPreparationException>(() => Read("""{ "image": "x", "imagee": 1 }""")).Message.ShouldContain("'imagee', which a container pool does not know");
        Should.Throw<RunPreparationException>(() => Read("""{ "image": "x", "image_pull_policy": "Sometimes" }""")).Message.ShouldContain("image_pull_policy is 'Sometimes'; use IfNotPresent, Always or Never.");
    }
}
