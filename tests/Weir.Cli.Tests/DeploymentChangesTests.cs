using System.Text.Json.Nodes;
using Weir.Deploy;
using Weir.Client;

namespace Weir.Cli.Tests;

/// <summary>The line <c>weir deploy</c> prints about a deployment says what changed since the server last had it.</summary>
public sealed class DeploymentChangesTests
{
    private static DeploymentRequest Request(string image, IReadOnlyList<ScheduleDto>? schedules = null) => new()
    {
        FlowName = "f",
        Name = "d",
        Entrypoint = "flows/f.cs:f",
        PullSteps = [new JsonObject { ["set_working_directory"] = new JsonObject { ["directory"] = "/opt/weir/project" } }],
        Structure = new FlowStructure("f", [], []),
        WorkPool = "containers",
        JobVariables = new JsonObject { ["image"] = image },
        Schedules = schedules ?? [],
    };

    private static DeploymentDto Stored(DeploymentRequest request, int version) => new()
    {
        Id = Guid.NewGuid(),
        FlowName = request.FlowName,
        Name = request.Name,
        Entrypoint = request.Entrypoint,
        PullSteps = (JsonArray)request.PullSteps.DeepClone(),
        Structure = request.Structure,
        Parameters = [],
        WorkPool = request.WorkPool,
        JobVariables = (JsonObject?)request.JobVariables?.DeepClone(),
        Schedules = [.. request.Schedules.Select(s => s with { Anchor = DateTimeOffset.UnixEpoch })],
        Version = version,
        Created = DateTimeOffset.UnixEpoch,
        Updated = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Describe_ANewImageTag_SaysTheImageChanged_NotThatNothingDid()
    {
        var before = Stored(Request("reg/flows:v1"), 1);
        var after = Request("reg/flows:v2");

        var line = DeploymentChanges.Describe(before, after, new DeploymentResult(before with { Version = 2 }, Created: false, VersionChanged: true));

        line.ShouldBe("updated (the image changed: reg/flows:v1 → reg/flows:v2): version 1 → 2");
    }

    [Fact]
    public void Describe_TheSameDeploymentAgain_SaysNothingChanged_EvenWhenTheServerFilledInAScheduleAnchor()
    {
        var request = Request("reg/flows:v1", [new ScheduleDto(null, 600)]);
        var before = Stored(request, 3);

        DeploymentChanges.Describe(before, request, new DeploymentResult(before, Created: false, VersionChanged: false)).ShouldBe("updated (nothing changed): version 3");
        DeploymentChanges.Describe(null, request, new DeploymentResult(before with { Version = 1 }, Created: true, VersionChanged: false)).ShouldBe("created: version 1");
    }
}
