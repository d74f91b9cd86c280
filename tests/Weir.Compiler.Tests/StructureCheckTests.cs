using Weir.Client;

namespace Weir.Compiler.Tests;

public sealed class StructureCheckTests
{
    private static readonly FlowStructure s_recorded = new("example", [new("limit", "int", false, "5"), new("name", "string", true, null)], ["GetData", "PrintData"]);

    private static StructureCheck Check(FlowStructure? current) =>
        StructureCheck.Compare(s_recorded, current, "flows/my_flow.cs:example", ["example"], "weir deploy nightly");

    [Fact]
    public void Compare_WhenEqual_IsSameWithNoMessage()
    {
        var check = Check(s_recorded with { });
        check.Verdict.ShouldBe(StructureVerdict.Same);
        check.Message.ShouldBeNull();
    }

    [Fact]
    public void Compare_WhenParameterTypeChanges_IsIncompatibleWithDiffAndCommand()
    {
        var check = Check(s_recorded with { Parameters = [new("limit", "string", false, "\"5\""), new("name", "string", true, null)] });

        check.Verdict.ShouldBe(StructureVerdict.Incompatible);
        check.Message.ShouldBe(
            "The parameters of flow 'example' (flows/my_flow.cs:example) changed since it was deployed, so this run cannot start:\n"
            + "  - limit: int = 5\n"
            + "  + limit: string = \"5\"\n"
            + "Re-deploy to record the new parameters: weir deploy nightly");
    }

    [Theory]
    [InlineData("removed")]
    [InlineData("required-added")]
    [InlineData("made-required")]
    public void Compare_WhenCallersCouldBreak_IsIncompatible(string change)
    {
        FlowStructure current = change switch
        {
            "removed" => s_recorded with { Parameters = [new("name", "string", true, null)] },
            "required-added" => s_recorded with { Parameters = [.. s_recorded.Parameters, new("day", "int", true, null)] },
            _ => s_recorded with { Parameters = [new("limit", "int", true, null), new("name", "string", true, null)] },
        };

        Check(current).Verdict.ShouldBe(StructureVerdict.Incompatible);
    }

    [Fact]
    public void Compare_WhenOptionalParameterAddedOrDefaultChanged_IsSameWithANote()
    {
        var check = Check(s_recorded with { Parameters = [new("limit", "int", false, "7"), new("name", "string", true, null), new("verbose", "bool", false, "false")] });

        check.Verdict.ShouldBe(StructureVerdict.Same);
        check.Message!.ShouldContain("+ limit: int = 7    (compatible)");
        check.Message!.ShouldContain("+ verbose: bool = false    (new, has a default)");
    }

    [Fact]
    public void Compare_WhenTasksChange_IsDriftNamingBothLists()
    {
        var check = Check(s_recorded with { Tasks = ["GetData", "Clean", "PrintData"] });

        check.Verdict.ShouldBe(StructureVerdict.Drift);
        check.Message.ShouldBe("Structure drift: flow 'example' now calls GetData → Clean → PrintData; the deployment recorded GetData → PrintData. The run went ahead. Re-deploy to record the new structure: weir deploy nightly");
    }

    [Fact]
    public void Compare_WhenFlowIsGone_IsIncompatibleListingFlowsInTheFile()
    {
        var check = StructureCheck.Compare(s_recorded, null, "flows/my_flow.cs:example", ["other"], "weir deploy nightly");

        check.Verdict.ShouldBe(StructureVerdict.Incompatible);
        check.Message.ShouldBe("flows/my_flow.cs no longer has the flow 'example' that this deployment runs (flows in it: other). Fix the entrypoint or the code, then re-deploy: weir deploy nightly");
    }
}
